// A rating stage on a phone: a row of numbered buttons for each item, saved at each tap.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { choicePerItem, itemBlock, nextId } from "./shared.js";

export function view(stage, ctx) {
  const scale = stage.scale || { min: 1, max: 5, min_label: "", max_label: "" };
  const points = [];
  for (let p = scale.min; p <= scale.max; p += 1) points.push(p);
  // Up to seven points sit in one row of big buttons; longer scales wrap into two rows.
  const columns = points.length <= 7 ? points.length : Math.ceil(points.length / 2);
  const ratings = choicePerItem(ctx, "ratings");
  const blocks = stage.items.map((item) => {
    const name = nextId("rate");
    const endsId = nextId("ends");
    const inputs = ratings.radios(item, name, points, {
      "aria-describedby": scale.min_label || scale.max_label ? endsId : null,
    });
    const row = h(
      "div",
      { class: "scale" },
      points.map((point, index) =>
        h(
          "label",
          { class: "scale-point" },
          inputs[index],
          h("span", { class: "scale-number" }, String(point)),
        ),
      ),
    );
    row.style.setProperty("--columns", String(columns));
    const ends =
      scale.min_label || scale.max_label
        ? h(
            "p",
            { class: "scale-ends", id: endsId },
            h("span", {}, `${scale.min} = ${scale.min_label || scale.min}`),
            h("span", {}, `${scale.max} = ${scale.max_label || scale.max}`),
          )
        : null;
    return itemBlock(item, [row, ends]);
  });
  const element = h(
    "div",
    { class: "activity rating" },
    h(
      "p",
      { class: "activity-hint" },
      stage.items.length > 1 ? t("Tap a number for each statement.") : t("Tap a number."),
    ),
    blocks,
  );
  return { element, update: ratings.update };
}
