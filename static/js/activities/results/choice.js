// Choice: how many picked each option. The projector and the console draw the server's bar
// chart; the phone draws the counts as bars, with the person's own picks marked.

import { h } from "../../live.js";
import { barRow, percent, yours } from "./bars.js";

/** The options' counts as bars on a phone, the options keyed in `chosen` marked as theirs. */
export function optionBars(results, chosen) {
  const answered = results.answered || 0;
  return h(
    "ul",
    { class: "bars" },
    (results.options || []).map((option) => {
      const share = percent(option.count, answered);
      const label = [option.label, chosen.includes(option.key) ? yours() : null];
      return barRow(label, `${option.count} · ${share}%`, share);
    }),
  );
}

export function render(message, { size, mine }) {
  if (size !== "phone") return null;
  return optionBars(message.results, (mine && mine.choices) || []);
}

export function questionHeading(stage) {
  return stage.multiple ? "Pick any that apply" : "Pick one";
}

export function howToAnswer(stage) {
  return stage.multiple ? "Participants pick one or more options." : "Participants pick one option.";
}
