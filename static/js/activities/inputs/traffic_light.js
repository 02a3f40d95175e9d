// A traffic light stage on a phone: met, partly met or not met for each item (each test),
// saved at each tap.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { choicePerItem, itemBlock, nextId } from "./shared.js";

const LIGHTS = [
  { key: "met", label: t("Met"), mark: "✓" },
  { key: "partly", label: t("Partly met"), mark: "~" },
  { key: "not_met", label: t("Not met"), mark: "✗" },
];

export function view(stage, ctx) {
  const lights = choicePerItem(ctx, "lights");
  const blocks = stage.items.map((item) => {
    const inputs = lights.radios(item, nextId("light"), LIGHTS.map((light) => light.key));
    const row = h(
      "div",
      { class: "lights" },
      LIGHTS.map((light, index) =>
        h(
          "label",
          { class: `light light-${light.key}` },
          inputs[index],
          h("span", { class: "light-mark", "aria-hidden": "true" }, light.mark),
          h("span", { class: "light-word" }, light.label),
        ),
      ),
    );
    return itemBlock(item, row);
  });
  const element = h(
    "div",
    { class: "activity traffic-light" },
    h("p", { class: "activity-hint" }, t("Is this test met? Tap one.")),
    blocks,
  );
  return { element, update: lights.update };
}
