// Points: how many points the room gave each item. The projector and the console draw the
// server's bars; the phone draws the totals as bars, with the points the person gave.

import { h } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { barRow, yours } from "./bars.js";

function pointsBars(results, mine) {
  const given = (mine && mine.points) || {};
  const top = Math.max(1, ...results.items.map((item) => item.total));
  return h(
    "ol",
    { class: "bars" },
    results.items.map((item) =>
      barRow(
        [item.label, given[item.key] ? yours(t("You: {value}", { value: given[item.key] })) : null],
        tn(item.total, "{n} point", "{n} points"),
        (100 * item.total) / top,
        h("p", { class: "result-summary" }, tn(item.voters, "From {n} person", "From {n} people")),
      ),
    ),
  );
}

export function render(message, { size, mine }) {
  if (size !== "phone") return null;
  return pointsBars(message.results, mine);
}

export function questionHeading(stage) {
  return `Spread your ${stage.points || 10} points`;
}

export function howToAnswer(stage) {
  return `Participants spread up to ${stage.points || 10} points over the items.`;
}
