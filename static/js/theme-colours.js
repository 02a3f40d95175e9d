// A plan theme's colours: WCAG contrast and the accent's rules, as the plan loader checks
// them (facilitation/plans/theme.py), for the projector (screen-theme.js) and the plan
// editor (plan-editor.js). No DOM here, so `node --test` runs it.

export const INK = "#0b0d10";
export const WHITE = "#ffffff";
/** The page each mode draws on (plans/theme.py PAPER, static/css/screen-theme.css). */
export const PAPER = { light: "#ffffff", dark: "#121418" };
const GRAPHICS_RATIO = 3; // WCAG 1.4.11: bars and rules against the page
const TEXT_RATIO = 4.5; // WCAG 1.4.3: the numbers written on an accent-coloured bar

export const isHex = (value) => typeof value === "string" && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);

function channels(colour) {
  const hex = colour.replace("#", "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16) / 255);
}

function luminance(colour) {
  const [r, g, b] = channels(colour).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(one, other) {
  const [dark, light] = [luminance(one), luminance(other)].sort((a, b) => a - b);
  return (light + 0.05) / (dark + 0.05);
}

/** White or ink, whichever contrasts more with a mark of `colour` (charts.py text_on). */
export function textOn(colour) {
  if (!isHex(colour)) return null;
  return contrast(colour, WHITE) >= contrast(colour, INK) ? WHITE : INK;
}

/** Why `accent` cannot be used on the `mode` page, or null when it can (the loader's words). */
export function accentProblem(accent, mode) {
  if (!/^#[0-9a-f]{6}$/i.test(accent)) return `must be a colour written #rrggbb, like "#1d5e9e"`;
  const colour = accent.toLowerCase();
  const paper = PAPER[mode] || PAPER.light;
  const againstPage = contrast(colour, paper);
  if (againstPage < GRAPHICS_RATIO) {
    return (
      `${colour} contrasts ${againstPage.toFixed(2)}:1 with the ${mode} page (${paper}); bars and rules ` +
      `need at least 3:1: choose a ${mode === "dark" ? "lighter" : "darker"} colour`
    );
  }
  const onBar = Math.max(contrast(colour, WHITE), contrast(colour, INK));
  if (onBar < TEXT_RATIO) {
    return (
      `${colour} is a mid-tone: the numbers written on its bars reach only ${onBar.toFixed(2)}:1 in ` +
      "white or black, under the 4.5:1 text needs; choose a darker or lighter colour"
    );
  }
  return null;
}
