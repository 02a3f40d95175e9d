// Notes on the projector: the notes the facilitator chose to show, as large cards headed
// "From the tables". They take a column beside the stage (above the comment wall when
// there is one), or fill the screen when the facilitator switches the projector to "notes".
//
// Screens only ever receive the notes that are shown (the most recently shown first, so
// the one the facilitator just chose is the one that surely fits), without who wrote
// them: the room sees the table, not the note-taker. Hooks in screen.js: `setNotes` on
// sync and on each `notes` push, `notesFullScreen(state)` / `notesScreen()` for the
// notes view, `addNotesBeside(stageBody)` before the stage is drawn, and `fitNotes(root)`
// after layout.

import { h } from "./live.js";

const model = { notes: [], seq: 0 };
const MIN_LINES = 3; // a note cut shorter than this says too little to be worth showing

/** Keep a `notes` message (or a sync's `notes`); false if it is older than the last. */
export function setNotes(message, { reset = false } = {}) {
  if (!message || !Array.isArray(message.notes)) return false;
  if (reset) model.seq = 0;
  if (typeof message.seq === "number") {
    if (message.seq < model.seq) return false;
    model.seq = message.seq;
  }
  model.notes = message.notes.filter((note) => note.shown !== false);
  return true;
}

export function shownNotes() {
  return model.notes;
}

/** Whether the facilitator has switched the projector to the notes. */
export function notesFullScreen(state) {
  return Boolean(state && state.status !== "ended" && state.screen_mode === "notes");
}

function noteCard(note) {
  return h(
    "li",
    { class: "note-card", dataset: { noteId: String(note.id) } },
    h(
      "p",
      { class: "note-card-tags" },
      h("span", { class: "note-card-table" }, note.table || "Whole room"),
      note.stage_title ? h("span", { class: "note-card-stage" }, note.stage_title) : null,
    ),
    h("p", { class: "note-card-text" }, note.text),
  );
}

function heading(shown, total) {
  return shown >= total ? "From the tables" : `From the tables · ${shown} of ${total}`;
}

/** The whole screen: every shown note, newest first, as many as fit. */
export function notesScreen() {
  const notes = model.notes;
  return h(
    "section",
    { class: "notes-view", "aria-label": "Notes from the tables, newest first" },
    h("h1", { class: "notes-heading" }, "From the tables"),
    notes.length
      ? h("ol", { class: "note-cards note-cards-main" }, notes.map(noteCard))
      : h(
          "p",
          { class: "notes-empty" },
          "What the tables say appears here when the facilitator shows it.",
        ),
  );
}

/**
 * Put the shown notes in a column beside the stage: above the comment wall when the wall
 * is beside the stage too, else a column of their own (the stage then takes the narrower
 * layout it has beside a wall). Nothing happens when no note is shown.
 */
export function addNotesBeside(stageBody) {
  const notes = model.notes;
  if (!notes.length) return;
  const section = h(
    "section",
    { class: "notes-side", "aria-label": "Notes from the tables, newest first" },
    h("h2", { class: "notes-heading" }, "From the tables"),
    h("ol", { class: "note-cards" }, notes.map(noteCard)),
  );
  const wall = Array.from(stageBody.children).find(
    (child) => child.classList.contains("wall") && !child.classList.contains("wall-main"),
  );
  if (wall) {
    section.classList.add("above-wall");
    stageBody.append(h("div", { class: "side-column" }, section, wall));
  } else {
    stageBody.append(section);
  }
  stageBody.classList.add("with-wall", "with-notes");
}

/**
 * Nothing on a projector scrolls. First the notes are cut to fewer lines (down to three),
 * then the oldest-shown cards are left out until the rest fit; the first card always
 * stays. The heading says when some are left out.
 */
export function fitNotes(root) {
  for (const list of root.querySelectorAll(".note-cards")) {
    const section = list.closest("section");
    const total = list.children.length;
    list.style.removeProperty("--clamp");
    let lines = parseInt(getComputedStyle(list).getPropertyValue("--clamp"), 10) || 6;
    while (lines > MIN_LINES && overflowing(list)) {
      lines -= 1;
      list.style.setProperty("--clamp", String(lines));
    }
    while (list.children.length > 1 && overflowing(list)) list.lastElementChild.remove();
    const title = section && section.querySelector(".notes-heading");
    if (title) title.textContent = heading(list.children.length, total);
  }
}

function overflowing(list) {
  const box = list.getBoundingClientRect();
  return Array.from(list.children).some((card) => {
    const rect = card.getBoundingClientRect();
    return rect.bottom > box.bottom + 1 || rect.right > box.right + 1;
  });
}
