// What the phone's answer controls share: unique ids, a group of big radio (or checkbox)
// options, one labelled block per item, and set comparisons for drafts not yet submitted.
//
// Native radio buttons and checkboxes, styled large: keyboard and screen reader
// behaviour come with them, and a tap on the label is a tap on the control.

import { h } from "../../live.js";

let uid = 0;

/** An id no other element on the page has: `${prefix}-${n}`. */
export const nextId = (prefix) => `${prefix}-${(uid += 1)}`;

/** Whether two lists hold the same values, in any order. */
export const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

/** A fieldset of big radio (or checkbox) options; `options` are {value, label, description}. */
export function optionGroup({ legend, type = "radio", options, onChange, hint = null }) {
  const name = nextId("option");
  const inputs = [];
  const list = h("div", { class: "options" });
  for (const option of options) {
    const id = nextId("opt");
    const input = h("input", { type, id, name, value: option.value });
    input.addEventListener("change", () => onChange(input));
    inputs.push(input);
    list.append(
      h(
        "label",
        { class: "option", for: id },
        input,
        h(
          "span",
          { class: "option-text" },
          h("span", { class: "option-label" }, option.label),
          option.description ? h("span", { class: "option-description" }, option.description) : null,
        ),
      ),
    );
  }
  const element = h(
    "fieldset",
    { class: "activity option-group" },
    h("legend", { class: "visually-hidden" }, legend),
    hint ? h("p", { class: "activity-hint" }, hint) : null,
    list,
  );
  return { element, inputs };
}

export function setEnabled(inputs, open) {
  for (const input of inputs) input.disabled = !open;
}

/**
 * A choice per item, made with radio buttons (rating, traffic light): the answer is
 * {[field]: {item key: choice}}, sent whole at each tap. radios(item, name, choices, attrs)
 * makes an item's buttons, one per choice (a number or a string); update({value, open})
 * shows the stored answer.
 */
export function choicePerItem(ctx, field) {
  let current = {};
  const inputs = {};
  return {
    radios(item, name, choices, attrs = {}) {
      inputs[item.key] = choices.map((choice) => {
        const input = h("input", { type: "radio", name, value: String(choice), ...attrs });
        input.addEventListener("change", () => {
          current = { ...current, [item.key]: choice };
          ctx.submit({ [field]: { ...current } });
        });
        return input;
      });
      return inputs[item.key];
    },
    update({ value, open }) {
      current = { ...((value && value[field]) || {}) };
      for (const [key, list] of Object.entries(inputs)) {
        for (const input of list) {
          input.checked = key in current && String(current[key]) === input.value;
          input.disabled = !open;
        }
      }
    },
  };
}

/** One labelled block per item (rating, traffic light, points and grid share the layout). */
export function itemBlock(item, content) {
  const legendId = nextId("item");
  return h(
    "fieldset",
    { class: "item-block", "aria-labelledby": legendId },
    h("legend", { class: "item-legend", id: legendId }, h("span", { class: "item-label" }, item.label)),
    item.description ? h("p", { class: "item-description" }, item.description) : null,
    content,
  );
}
