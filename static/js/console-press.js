// What the console's next press does, in words, and which key asks for what: pure
// functions of the `state` (docs/protocol.md, "The flow"), tested by tests/js/console-press.test.mjs.
//
// The server decides what a press does (workshop/flow.py) and sends it as state.flow.next
// ("page" on a slides stage with pages left); this only names it. The words avoid the other buttons' names ("Next", "Open input",
// "Reveal results"), so each control keeps a name of its own.

const WORDS = {
  open: ["Start answering", "input opens on phones"],
  close: ["Stop answering", "input closes on phones"],
  close_reveal: ["Show results", "and stop answering"],
  reveal: ["Show results", "on the projector"],
  end: ["End of plan", "the last stage"],
};

/** {label, detail, action} for the big button; `action` is what the server will do. */
export function pressLabel(state) {
  const flow = state && state.flow;
  if (!flow) return { label: "Connecting…", detail: "", action: null };
  const action = flow.next;
  if (action === "page") {
    // A slides stage: the press shows its following page (state.slide counts from 0).
    const slide = state.slide || {};
    const following = (slide.index ?? 0) + 2;
    return { label: `Show page ${following}`, detail: `of ${slide.of ?? "?"} in this deck`, action };
  }
  if (action === "next") {
    return { label: `Go to ${flow.next_title}`, detail: "the following stage", action };
  }
  const [label, detail] = WORDS[action] || ["", ""];
  return { label, detail, action };
}

// Keys: a USB presentation clicker sends PageDown and PageUp (some send Right and Left).
const KEYS = {
  ArrowRight: "press",
  PageDown: "press",
  " ": "press",
  ArrowLeft: "back",
  PageUp: "back",
  r: "results",
  R: "results",
  o: "input",
  O: "input",
  b: "black",
  B: "black",
  "?": "help",
};

// Where a key is someone typing or working a control, not a command to the room.
const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const CLICKABLE = new Set(["BUTTON", "A", "SUMMARY"]);

/** The command a keydown asks for (press, back, results, input, black, help), or null.
 * `target` is the element with focus: {tagName, isContentEditable}. */
export function keyCommand(event, target) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  // A held key repeats (some 30 a second): only its first keydown is a command.
  if (event.repeat) return null;
  const tag = target && target.tagName ? target.tagName.toUpperCase() : "";
  if (TYPING.has(tag) || (target && target.isContentEditable)) return null;
  // Space on a focused button presses that button, as everywhere else.
  if (event.key === " " && CLICKABLE.has(tag)) return null;
  return KEYS[event.key] || null;
}

export const KEY_HELP = [
  ["→, Page Down", "The next press, even on a focused button (not in a field)"],
  ["Space", "The next press; on a focused button, presses that button"],
  ["←, Page Up", "Back a page on slides, else to the previous stage (on its last page)"],
  ["R", "Reveal or hide the results"],
  ["O", "Open or close input"],
  ["B", "Black out the projector, or bring it back"],
  ["?", "This list"],
];
