// A sector stage on a phone: one big radio button per sector of the plan. The answer is
// the person's sector, which also becomes the one shown under their name.

import { sectorLabel, sectorLabels, t } from "../../phone-text.js";
import { optionGroup, setEnabled } from "./shared.js";

export function view(stage, ctx) {
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    hint: " ",
    options: ctx.sectors.map((sector) => ({ value: sector, label: sectorLabel(sector) })),
    onChange: (input) => ctx.submit({ sector: input.value }),
  });
  const hint = element.querySelector(".activity-hint");
  return {
    element,
    update({ value, open }) {
      for (const input of inputs) input.checked = !!value && value.sector === input.value;
      setEnabled(inputs, open);
      // Answered (at the stage, or on the join form) and closed: the closed note says it
      // is kept; "tap another" would offer what the disabled options cannot do.
      hint.hidden = !!value && !open;
      if (value) hint.textContent = t("Tap another sector to change it.");
      else if (ctx.joinedSector) {
        hint.textContent = t("When you joined you chose {sector}. Tap your sector to be counted here.", {
          sector: sectorLabel(ctx.joinedSector),
        });
      } else hint.textContent = t("Tap your sector.");
    },
  };
}

/** The results count sectors, not items: their names as this phone shows them. */
export function resultLabels() {
  return sectorLabels();
}
