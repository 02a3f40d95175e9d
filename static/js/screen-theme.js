// The plan's theme on the projector's charts (docs/plan-format.md, theme:). The server
// draws every chart for a white page in the app's colours (facilitation/charts.py); here an
// accent replaces the app's blue and dark mode gives every colour a counterpart that keeps
// its contrast on the dark page. The numbers on bars and dots are then rewritten in white
// or ink, whichever contrasts more with their mark (charts.py text_on, WCAG 1.4.3).

import { INK, textOn } from "./theme-colours.js";

const APP_BLUE = "#1d5e9e"; // charts.py BAR_COLOUR

// Dark mode: each colour the charts name, made light enough for 4.7:1 on the dark page
// (so ink on it passes 4.5:1 too), or for ink and grid lines, their light counterparts.
const DARK = new Map(
  Object.entries({
    "#1b7a3a": "#44925d",
    "#9a5b00": "#ac792e",
    "#b3261e": "#c8635d",
    "#1d5e9e": "#93c0ee", // lighter than the scale's 4 (#4f8fc0), so 4 and 5 stay apart
    "#6b6b6b": "#838383",
    "#6a3d9a": "#9473b6",
    "#00707a": "#338d95",
    "#8a4a6b": "#a4728c",
    "#57606a": "#9aa3ad",
    "#333": "#c6ccd3",
    "#333333": "#c6ccd3",
    "#0b0d10": "#eef1f5",
    "#1b1f24": "#eef1f5",
    "#2a3f5f": "#eef1f5", // plotly's template ink
    "#444": "#eef1f5",
    "#000": "#eef1f5",
    "#000000": "#eef1f5",
    black: "#eef1f5",
    "#d0d0d0": "#3c444e",
    "#9aa3ad": "#6f7883",
  }),
);

/** The theme the page was given: { dark, accent } (accent "" for the app's blue). */
export function pageTheme(body = document.body) {
  return { dark: body.dataset.themeMode === "dark", accent: body.dataset.themeAccent || "" };
}

function recolour(value, theme) {
  if (typeof value !== "string") return value;
  const colour = value.trim().toLowerCase();
  if (theme.series && colour === APP_BLUE) return theme.accent;
  return (theme.dark && DARK.get(colour)) || value;
}

/** Every colour in `value` (a figure, or any part of one) recoloured, as a new object. */
function recolourAll(value, theme) {
  if (Array.isArray(value)) return value.map((entry) => recolourAll(entry, theme));
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [name, entry] of Object.entries(value)) {
    if (/color$/i.test(name)) {
      out[name] = Array.isArray(entry) ? entry.map((c) => recolour(c, theme)) : recolour(entry, theme);
    } else {
      out[name] = recolourAll(entry, theme);
    }
  }
  return out;
}

function onMarks(marker) {
  const colour = marker?.color;
  if (Array.isArray(colour)) return colour.map((c) => textOn(c) || INK);
  return textOn(colour);
}

const isWhite = (colour) => typeof colour === "string" && /^(#fff|#ffffff|white)$/i.test(colour.trim());

/** The numbers written on marks, in white or ink for the marks' new colours. */
function relabel(trace, original) {
  const on = onMarks(trace.marker);
  if (!on || !trace.text) return trace;
  if (trace.type === "bar") return { ...trace, insidetextfont: { ...(trace.insidetextfont || {}), color: on } };
  // A scatter's text sits on its dots when the server wrote it in white (the grid).
  if (isWhite(original.textfont?.color)) return { ...trace, textfont: { ...(trace.textfont || {}), color: on } };
  return trace;
}

/** The figure as this page's theme draws it; the very figure when the theme is the app's. */
export function themeFigure(figure, theme = pageTheme()) {
  if (!theme.dark && !theme.accent) return figure;
  // The accent colours charts of one series (a choice, a ranking). Where a legend names
  // the colours (a rating's scale, the lights), the app's blue means something: it stays.
  const series = Boolean(theme.accent) && !figure.layout?.showlegend;
  const themed = recolourAll(figure, { ...theme, series });
  themed.data = themed.data.map((trace, index) => relabel(trace, figure.data[index]));
  return themed;
}
