// Ranking: the items in the room's order, by Borda score. The projector and the console
// draw the server's bars; the phone draws the scores as bars, with the person's own
// position for each item.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { barRow, formatNumber, yours } from "./bars.js";

function rankingBars(results, mine) {
  const order = (mine && mine.order) || [];
  const items = results.items || [];
  const top = Math.max(1, ...items.map((item) => item.borda || 0));
  return h(
    "div",
    {},
    h("p", { class: "results-note" }, t("Ordered by Borda score: the higher an item was ranked, the more points it gets.")),
    h(
      "ol",
      { class: "bars ranking-results" },
      items.map((item, index) => {
        const position = order.indexOf(item.key);
        return barRow(
          [h("span", { class: "rank-position" }, `${index + 1}. `), item.label],
          t("Borda {score}", { score: item.borda }),
          (100 * (item.borda || 0)) / top,
          h(
            "p",
            { class: "result-summary" },
            item.mean_rank === null || item.mean_rank === undefined
              ? t("No rankings yet.")
              : t("Average position {position}", { position: formatNumber(item.mean_rank) }),
            position >= 0 ? yours(t("You: {value}", { value: position + 1 })) : null,
          ),
        );
      }),
    ),
  );
}

export function render(message, { size, mine }) {
  if (size !== "phone") return null;
  return rankingBars(message.results, mine);
}

export function questionHeading() {
  return "Put these in order, most important first";
}

export const orderedItems = true;

export function howToAnswer() {
  return "Participants put the items in order, most important first.";
}
