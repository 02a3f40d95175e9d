// A choice stage on a phone: tap one option, or tick several and submit them together.

import { h } from "../../live.js";
import { t } from "../../phone-text.js";
import { optionGroup, sameSet, setEnabled } from "./shared.js";

export function view(stage, ctx) {
  return stage.multiple ? multipleChoiceView(stage, ctx) : singleChoiceView(stage, ctx);
}

function itemOptions(stage) {
  return stage.items.map((item) => ({
    value: item.key,
    label: item.label,
    description: item.description,
  }));
}

function singleChoiceView(stage, ctx) {
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    hint: t("Tap one."),
    options: itemOptions(stage),
    onChange: (input) => ctx.submit({ choices: [input.value] }),
  });
  return {
    element,
    update({ value, open }) {
      const chosen = (value && value.choices) || [];
      for (const input of inputs) input.checked = chosen.includes(input.value);
      setEnabled(inputs, open);
    },
  };
}

function multipleChoiceView(stage, ctx) {
  let saved = [];
  let open = false;
  const note = h("p", { class: "draft-note", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "wide submit" }, t("Submit"));
  const ticked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  const refresh = () => {
    const now = ticked();
    const changed = !sameSet(now, saved);
    button.disabled = !open || now.length === 0 || !changed;
    if (!open) note.textContent = "";
    else if (now.length === 0) note.textContent = t("Tick at least one, then press Submit.");
    else if (changed) note.textContent = t("Not submitted yet: press Submit to save your choice.");
    else note.textContent = "";
  };
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    type: "checkbox",
    hint: t("Tick all that apply, then press Submit."),
    options: itemOptions(stage),
    onChange: refresh,
  });
  button.addEventListener("click", () => {
    const now = ticked();
    if (now.length) ctx.submit({ choices: now });
  });
  element.append(note, button);
  return {
    element,
    update({ value, open: isOpen }) {
      const dirty = !sameSet(ticked(), saved);
      saved = (value && value.choices) || [];
      open = isOpen;
      // Keep ticks the person has not submitted yet, unless input has closed on them.
      if (!dirty || !open) {
        for (const input of inputs) input.checked = saved.includes(input.value);
      }
      setEnabled(inputs, open);
      refresh();
    },
  };
}
