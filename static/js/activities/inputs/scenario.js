// A scenario stage on a phone: the scenario the facilitator has chosen, as a card, with the
// stage's own note under it. It takes no answer; its comments are the default panel.

import { fill, h, paragraphs } from "../../live.js";
import { t } from "../../phone-text.js";

/** The scenario card and the stage's own note under it, as the phone shows them. */
export function scenarioCard(scenario, stage) {
  const facts = [
    [t("Data"), scenario.data],
    [t("Who shares with whom"), scenario.sharing],
    [t("Anonymisation"), scenario.anonymisation],
  ].filter(([, value]) => value);
  return [
    h(
      "div",
      { class: "card scenario-card" },
      h("p", { class: "eyebrow" }, t("Scenario")),
      h("h2", {}, scenario.title),
      paragraphs(scenario.summary),
      facts.length
        ? h(
            "dl",
            { class: "facts" },
            facts.map(([label, value]) => h("div", { class: "fact" }, h("dt", {}, label), h("dd", {}, value))),
          )
        : null,
    ),
    stage.body ? h("div", { class: "stage-body" }, paragraphs(stage.body)) : null,
  ];
}

/** A slot that shows the chosen scenario, redrawn only when the facilitator picks another. */
export function card(stage) {
  const element = h("div", { class: "scenario-slot" });
  let shownKey; // undefined until the first update: then even "no scenario" is drawn
  return {
    element,
    update({ scenario }) {
      const key = scenario ? scenario.key : null;
      if (shownKey === key) return;
      shownKey = key;
      if (!scenario) {
        fill(
          element,
          h("div", { class: "card scenario-card waiting" }, h("p", {}, t("The facilitator will choose a scenario."))),
        );
        return;
      }
      fill(element, scenarioCard(scenario, stage));
    },
  };
}
