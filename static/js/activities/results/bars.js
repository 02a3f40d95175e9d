// The phone's results are light HTML (no Plotly on phones): bars and marks shared by the
// result views of the types that draw bars there.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";

/** `count` as a whole percentage of `total` (0 when nobody answered). */
export const percent = (count, total) => (total ? Math.round((100 * count) / total) : 0);

/** A bar's coloured part, `share` percent wide. */
export function barFill(className, share) {
  const fill = h("span", { class: className });
  fill.style.width = `${Math.max(0, Math.min(100, share))}%`;
  return fill;
}

/** A bar's track with its fill, hidden from screen readers (the numbers are in words). */
export function barTrack(share) {
  return h("span", { class: "bar-track", "aria-hidden": "true" }, barFill("bar-fill", share));
}

/**
 * One bar of a list: its label (with any mark of the person's own), its count in words,
 * the bar `share` percent long, and what more is said under it.
 */
export function barRow(label, count, share, ...under) {
  return h(
    "li",
    { class: "bar-row" },
    h("p", { class: "bar-head" }, h("span", { class: "bar-label" }, label), h("span", { class: "bar-count" }, count)),
    barTrack(share),
    under,
  );
}

/** The mark beside the person's own answer. */
export function yours(text = t("Your answer")) {
  return h("span", { class: "yours" }, text);
}

/** A median or an average for people: whole, or to one decimal; "–" when there is none. */
export function formatNumber(value) {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
