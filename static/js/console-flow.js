// The console's big button, its keys and the session's flow settings
// (templates/facilitator/console.html): one press runs the stage as the flow says
// (workshop/flow.py); the label comes from console-press.js.

import { fill, h } from "./live.js";
import { KEY_HELP, keyCommand, pressLabel } from "./console-press.js";

const INPUT_CHOICES = [
  ["on_show", "When the stage is shown"],
  ["manual", "By hand"],
];
const REVEAL_CHOICES = [
  ["next_press", "On the press after input"],
  ["on_close", "As soon as input closes"],
  ["manual", "By hand"],
];

function choiceSelect(id, choices, onChange) {
  const select = h(
    "select",
    { id, onchange: () => onChange(select.value) },
    choices.map(([value, label]) => h("option", { value }, label)),
  );
  return select;
}

export function setupFlow({ view, act, setOff, buttonEl, settingsEl, helpEl, commands }) {
  const label = h("span", { class: "press-label" });
  const detail = h("span", { class: "press-detail" });
  fill(buttonEl, label, detail);
  buttonEl.addEventListener("click", () => act("next"));

  const inputSelect = choiceSelect("flow-input", INPUT_CHOICES, (value) =>
    act("set_flow", { input: value }),
  );
  const revealSelect = choiceSelect("flow-reveal", REVEAL_CHOICES, (value) =>
    act("set_flow", { reveal: value }),
  );
  fill(
    settingsEl,
    h("label", { for: "flow-input" }, "Input opens"),
    inputSelect,
    h("label", { for: "flow-reveal" }, "Results are shown"),
    revealSelect,
    h(
      "p",
      { class: "hint muted" },
      "How the big button runs each stage in this session. Press ? for the keys.",
    ),
  );

  fill(
    helpEl,
    h("h2", { id: "keys-heading" }, "Keyboard and clicker"),
    h(
      "dl",
      { class: "keys-list" },
      // flatMap: h() flattens its children one level only; pairs inside an array
      // would be printed as "[object HTMLElement]".
      KEY_HELP.flatMap(([keys, what]) => [h("dt", {}, keys), h("dd", {}, what)]),
    ),
    h("p", { class: "muted" }, "A presentation clicker's buttons work as Page Down and Page Up."),
    h(
      "p",
      { class: "muted" },
      "A clicked button keeps the focus: Space presses it again; → and Page Down " +
        "still do the next press.",
    ),
    h(
      "div",
      { class: "dialog-actions" },
      h("button", { type: "button", class: "secondary", onclick: () => helpEl.close() }, "Close"),
    ),
  );

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || document.querySelector("dialog[open]:not(#keys-dialog)")) return;
    const command = keyCommand(event, document.activeElement);
    if (!command) return;
    if (command === "help") {
      event.preventDefault();
      if (!helpEl.open) helpEl.showModal();
      return;
    }
    if (helpEl.open) return;
    event.preventDefault(); // Space and Page Down would scroll the console
    if (command === "press") {
      if (!buttonEl.disabled) act("next");
    } else {
      commands[command]();
    }
  });

  return {
    render(off) {
      const state = view.state;
      const words = pressLabel(state);
      label.textContent = words.label;
      detail.textContent = words.detail;
      buttonEl.dataset.action = words.action || "";
      buttonEl.dataset.seq = state ? String(state.seq) : ""; // the state it was labelled from
      setOff(buttonEl, off || !words.action || words.action === "end");
      const flow = state && state.flow;
      inputSelect.disabled = revealSelect.disabled = off || !flow;
      if (flow) {
        inputSelect.value = flow.input;
        revealSelect.value = flow.reveal;
      }
    },
  };
}
