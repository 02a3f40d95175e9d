// Traffic light: for each item, how many said met, partly met or not met. The projector
// and the console draw the server's stacked bars; the phone draws each item's lights as a
// stacked bar with its words and counts, the person's own light marked.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { barFill, percent, yours } from "./bars.js";

// In the page's language on a phone; the projector and the console have English pages.
const LIGHT_WORDS = { met: t("Met"), partly: t("Partly met"), not_met: t("Not met") };

function lightBars(results, mine) {
  const lights = (mine && mine.lights) || {};
  const order = (results.lights || []).map((l) => l.key);
  const keys = order.length ? order : Object.keys(LIGHT_WORDS);
  return h(
    "div",
    { class: "light-results" },
    (results.items || []).map((item) => {
      const n = item.n || 0;
      return h(
        "div",
        { class: "result-item" },
        h("p", { class: "result-label" }, item.label),
        h(
          "span",
          { class: "stack", "aria-hidden": "true" },
          keys.map((key) => {
            const part = barFill(`stack-part light-part light-${key}`, percent(item[key] || 0, n));
            if (item[key]) part.textContent = String(item[key]);
            return part;
          }),
        ),
        h(
          "ul",
          { class: "light-legend" },
          keys.map((key) =>
            h(
              "li",
              { class: `light-${key}` },
              h("span", { class: "swatch", "aria-hidden": "true" }),
              `${LIGHT_WORDS[key]}: ${item[key] || 0}`,
              lights[item.key] === key ? yours(t("You")) : null,
            ),
          ),
        ),
      );
    }),
  );
}

export function render(message, { size, mine }) {
  if (size !== "phone") return null;
  return lightBars(message.results, mine);
}

export const groupShares = true;

export function questionHeading() {
  return "Met, partly met or not met?";
}

/** Under the statements, the three lights in their colours and words. */
export function questionKey() {
  return h(
    "ul",
    { class: "lights", "aria-hidden": "true" },
    Object.entries(LIGHT_WORDS).map(([key, words]) => h("li", { class: `light-${key}` }, words)),
  );
}

export function howToAnswer() {
  return "Participants say met, partly met or not met for each item.";
}
