// Rating: how each item was rated on the stage's scale. The projector and the console draw
// the server's stacked bars; the phone draws each item's ratings as a stacked bar, with
// the person's own rating beside it.

import { h } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { barFill, formatNumber, percent, yours } from "./bars.js";

function ratingBars(stage, results, mine) {
  const points = results.points || [];
  const scale = stage.scale || {};
  const ratings = (mine && mine.ratings) || {};
  const shade = (index) =>
    // Light to dark along the scale: order without implying good or bad.
    `hsl(211 60% ${Math.round(88 - (index * 60) / Math.max(1, points.length - 1))}%)`;
  return h(
    "div",
    { class: "rating-results" },
    (results.items || []).map((item) => {
      const n = item.n || 0;
      const segments = points.map((point, index) => {
        const count = (item.counts || {})[String(point)] || 0;
        const segment = barFill("stack-part", percent(count, n));
        segment.style.background = shade(index);
        if (index >= points.length / 2) segment.classList.add("dark");
        if (count) segment.textContent = String(count);
        return segment;
      });
      const summary =
        n === 0
          ? t("No ratings yet.")
          : tn(n, "Median {median} · {n} rating", "Median {median} · {n} ratings", { median: formatNumber(item.median) });
      return h(
        "div",
        { class: "result-item" },
        h("p", { class: "result-label" }, item.label),
        h("span", { class: "stack", "aria-hidden": "true" }, segments),
        h(
          "p",
          { class: "stack-legend" },
          points.map((point) =>
            h("span", {}, `${point}: ${(item.counts || {})[String(point)] || 0}`),
          ),
        ),
        h(
          "p",
          { class: "result-summary" },
          summary,
          ratings[item.key] !== undefined ? yours(t("You: {value}", { value: ratings[item.key] })) : null,
        ),
        scale.min_label || scale.max_label
          ? h(
              "p",
              { class: "visually-hidden" },
              t("{min} means {min_label}; {max} means {max_label}.", scale),
            )
          : null,
      );
    }),
  );
}

export function render(message, { size, stage, mine }) {
  if (size !== "phone") return null;
  return ratingBars(stage, message.results, mine);
}

/** A legend entry says what the ends of the scale mean: "1 Not at all" … "5 Fully". */
export function legendName(stage, name) {
  const scale = stage && stage.scale;
  if (!scale || name === undefined) return name;
  if (name === String(scale.min) && scale.min_label) return `${name} ${scale.min_label}`;
  if (name === String(scale.max) && scale.max_label) return `${name} ${scale.max_label}`;
  return name;
}

export const groupShares = true;

export function questionHeading() {
  return "Rate each statement";
}

/** Under the statements: "1 = Not at all … 5 = Fully". */
export function questionKey(stage) {
  const scale = stage.scale;
  if (!scale) return null;
  const low = scale.min_label || "lowest";
  const high = scale.max_label || "highest";
  return h("p", { class: "scale-words" }, `${scale.min} = ${low} … ${scale.max} = ${high}`);
}

export function howToAnswer(stage) {
  const scale = stage.scale || { min: 1, max: 5 };
  const low = scale.min_label ? ` (${scale.min_label})` : "";
  const high = scale.max_label ? ` (${scale.max_label})` : "";
  return `Participants rate each item from ${scale.min}${low} to ${scale.max}${high}.`;
}
