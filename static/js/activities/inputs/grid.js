// A benefit-risk grid stage on a phone: for each item, tap the square of a size × size
// grid that fits it, saved at each tap. gridFrame and localAxes also draw the phone's
// grid results.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { itemBlock } from "./shared.js";

// The words the plan model gives a grid that names none (plans/model.py): the server sends
// them in English, so the phone puts them in its own language. A plan's own words (and
// their translation, from the plan) pass through as they are.
const MODEL_WORDS = {
  Benefit: t("Benefit"),
  Risk: t("Risk"),
  Low: t("Low"),
  High: t("High"),
  "The scenario": t("The scenario"),
};
const modelWord = (text) => MODEL_WORDS[text] || text;
const localAxis = (axis) => ({ label: modelWord(axis.label), low: modelWord(axis.low), high: modelWord(axis.high) });
export const localAxes = (axes) => ({ x: localAxis(axes.x), y: localAxis(axes.y) });
const DEFAULT_AXES = { x: { label: "Benefit", low: "Low", high: "High" }, y: { label: "Risk", low: "Low", high: "High" } };

function axisWords(axis, n, size) {
  const words = t("{axis} {n} of {size}", { axis: axis.label, n, size });
  if (n === 1) return `${words} (${axis.low})`;
  if (n === size) return `${words} (${axis.high})`;
  return words;
}

/** The grid's frame: y axis up the left, x axis along the bottom, the cells in between. */
export function gridFrame(axes, cells, { className = "" } = {}) {
  return h(
    "div",
    { class: `grid-frame ${className}`.trim() },
    h(
      "div",
      { class: "grid-y-axis", "aria-hidden": "true" },
      h("span", { class: "axis-end" }, axes.y.high),
      h("span", { class: "axis-name" }, `${axes.y.label} →`),
      h("span", { class: "axis-end" }, axes.y.low),
    ),
    cells,
    h(
      "div",
      { class: "grid-x-axis", "aria-hidden": "true" },
      h("span", { class: "axis-end" }, axes.x.low),
      h("span", { class: "axis-name" }, `${axes.x.label} →`),
      h("span", { class: "axis-end" }, axes.x.high),
    ),
  );
}

export function view(stage, ctx) {
  const size = stage.size || 5;
  const axes = localAxes(stage.axes || DEFAULT_AXES);
  let current = {};
  const boards = {};

  const blocks = stage.items.map((shown) => {
    const item = { ...shown, label: modelWord(shown.label) };
    const buttons = [];
    const cells = h("div", { class: "grid-cells", role: "group", "aria-label": t("Grid for {label}", { label: item.label }) });
    cells.style.setProperty("--size", String(size));
    for (let y = size; y >= 1; y -= 1) {
      for (let x = 1; x <= size; x += 1) {
        const button = h("button", {
          type: "button",
          class: "grid-cell",
          "aria-label": `${axisWords(axes.x, x, size)}, ${axisWords(axes.y, y, size)}`,
          "aria-pressed": "false",
          dataset: { x: String(x), y: String(y), item: item.key },
          onclick: () => {
            current = { ...current, [item.key]: [x, y] };
            ctx.submit({ cells: { ...current } });
          },
        });
        buttons.push(button);
        cells.append(button);
      }
    }
    const place = h("p", { class: "grid-place", "aria-live": "polite" });
    boards[item.key] = { buttons, place };
    return itemBlock(item, [gridFrame(axes, cells), place]);
  });

  const element = h(
    "div",
    { class: "activity grid" },
    h(
      "p",
      { class: "activity-hint" },
      t("Tap the square that fits: further right is more {x}, higher up is more {y}.", {
        x: axes.x.label.toLowerCase(),
        y: axes.y.label.toLowerCase(),
      }),
    ),
    blocks,
  );
  return {
    element,
    update({ value, open }) {
      current = { ...((value && value.cells) || {}) };
      for (const [key, board] of Object.entries(boards)) {
        const cell = current[key];
        for (const button of board.buttons) {
          const here = !!cell && Number(button.dataset.x) === cell[0] && Number(button.dataset.y) === cell[1];
          button.setAttribute("aria-pressed", here ? "true" : "false");
          button.disabled = !open;
        }
        board.place.textContent = cell
          ? t("Your place: {x} {x_value}, {y} {y_value} (of {size}).", {
              x: axes.x.label,
              x_value: cell[0],
              y: axes.y.label,
              y_value: cell[1],
              size,
            })
          : open
            ? t("Tap a square to place it.")
            : t("Not placed.");
        board.place.classList.toggle("placed", !!cell);
      }
    },
  };
}
