// The note-taker's page (templates/notes/take_notes.html): a second laptop or tablet that
// writes down what the tables say, each note tagged with a stage and a table.
//
// The page follows the facilitator: the `state` feed says which stage the room is on, and
// the stage selector follows it until the note-taker starts typing (so a note begun on one
// stage stays tagged to it when the facilitator moves on). The table is remembered on this
// device. Notes are append-only: the list below shows everyone's, newest first.

import { clientId, connectLive, fill, h, showStatus } from "./live.js";

const $ = (id) => document.getElementById(id);
const body = document.body;
const code = body.dataset.code;
const maxLength = Number(body.dataset.maxLength) || 2000;

const el = {
  connection: $("connection"),
  nowLabel: $("now-label"),
  currentStage: $("current-stage"),
  currentPrompt: $("current-prompt"),
  endedBanner: $("ended-banner"),
  form: $("note-form"),
  stage: $("note-stage"),
  stageHint: $("note-stage-hint"),
  table: $("note-table"),
  tableHint: $("note-table-hint"),
  text: $("note-text"),
  error: $("note-error"),
  save: $("save-note"),
  saveStatus: $("save-status"),
  charCount: $("char-count"),
  list: $("note-list"),
  count: $("note-count"),
  writingAs: $("writing-as"),
};

const view = {
  state: null,
  stages: [], // [{index, key, title}]
  tables: [], // the session's tables at the last sync (state.tables wins when present)
  notes: [],
  notesSeq: 0,
  label: body.dataset.label || "",
  connected: false,
  saving: false,
  followStage: true, // the stage selector follows the facilitator
  pending: null, // {clientId, text, stage, table}: kept so a retry is stored once
  restoreStage: null, // the stage of a draft brought back after a reload
};

// Remembered on this device, per session: the table, and a note typed but not yet saved.
const storage = {
  get(name) {
    try {
      return window.localStorage.getItem(`notes:${code}:${name}`);
    } catch {
      return null;
    }
  },
  set(name, value) {
    try {
      if (value === null || value === "") window.localStorage.removeItem(`notes:${code}:${name}`);
      else window.localStorage.setItem(`notes:${code}:${name}`, value);
    } catch {
      // private browsing or storage full: the page works, it just forgets on reload
    }
  },
};

const ended = () => Boolean(view.state && ["ended", "archived"].includes(view.state.status));
const tables = () =>
  view.state && Array.isArray(view.state.tables) ? view.state.tables : view.tables;
const stageTitle = (key) => view.stages.find((s) => s.key === key)?.title || key;

// Rendering ----------------------------------------------------------------------------

function renderCurrentStage() {
  const state = view.state;
  if (!state) return;
  el.nowLabel.textContent = `The room is on stage ${state.stage_index + 1} of ${state.stage_count}`;
  el.currentStage.textContent = state.stage.title;
  el.currentPrompt.textContent = state.stage.prompt || "";
  el.endedBanner.hidden = !ended();
}

function renderStageSelect() {
  const state = view.state;
  if (!state || !view.stages.length) return;
  if (el.stage.dataset.built !== "yes") {
    const kept = view.restoreStage || el.stage.value; // a rebuild keeps the chosen stage
    view.restoreStage = null;
    fill(
      el.stage,
      view.stages.map((stage) =>
        h("option", { value: stage.key }, `${stage.index + 1}. ${stage.title}`),
      ),
    );
    el.stage.dataset.built = "yes";
    if (view.stages.some((stage) => stage.key === kept)) el.stage.value = kept;
  }
  if (view.followStage) el.stage.value = state.stage.key;
  const behind = el.stage.value !== state.stage.key;
  el.stageHint.textContent = behind
    ? `The room is on “${state.stage.title}”; this note is tagged to the stage chosen here.`
    : "Follows the facilitator until you start typing.";
  el.stageHint.classList.toggle("moved-on", behind);
}

function renderTableSelect() {
  const names = tables();
  const chosen = el.table.value || storage.get("table") || "";
  fill(
    el.table,
    h("option", { value: "" }, names.length ? "No particular table" : "No tables in this session"),
    names.map((name) => h("option", { value: name }, name)),
  );
  el.table.value = names.includes(chosen) ? chosen : "";
  el.tableHint.textContent = names.length
    ? "Remembered for your next notes."
    : "The facilitator has not set up breakout tables; notes are for the whole room.";
}

function renderControls() {
  const off = !view.connected || !view.state || ended();
  el.text.disabled = !view.state || ended();
  el.stage.disabled = off || view.saving;
  el.table.disabled = off || view.saving || !tables().length;
  el.save.disabled = off || view.saving;
}

function renderCharCount() {
  const length = el.text.value.trim().length;
  el.charCount.textContent = length > maxLength * 0.8 ? `${length} / ${maxLength}` : "";
  el.charCount.classList.toggle("over", length > maxLength);
}

function timeOf(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function renderNotes() {
  const notes = view.notes;
  el.count.textContent = notes.length ? `(${notes.length})` : "";
  if (!notes.length) {
    fill(
      el.list,
      h(
        "li",
        { class: "empty-notes muted" },
        "No notes yet. Yours and other note-takers' appear here.",
      ),
    );
    return;
  }
  fill(
    el.list,
    notes.map((note) => {
      const mine = note.author === view.label;
      return h(
        "li",
        { class: `note${note.shown ? " is-shown" : ""}`, dataset: { noteId: String(note.id) } },
        h(
          "p",
          { class: "note-tags" },
          h("span", { class: "note-table" }, note.table || "Whole room"),
          h("span", { class: "note-stage" }, note.stage_title || stageTitle(note.stage) || ""),
          note.shown ? h("span", { class: "shown-badge" }, "On the projector") : null,
        ),
        h("p", { class: "note-text" }, note.text),
        h(
          "p",
          { class: "note-meta muted" },
          h(
            "span",
            { class: mine ? "note-author mine" : "note-author" },
            mine ? `${note.author} (you)` : note.author,
          ),
          h("time", { datetime: note.created_at || "" }, timeOf(note.created_at)),
        ),
      );
    }),
  );
}

function renderAll() {
  renderCurrentStage();
  renderStageSelect();
  renderControls();
}

// Saving -------------------------------------------------------------------------------

let live = null;

function setStatus(words, kind = "") {
  el.saveStatus.textContent = words;
  el.saveStatus.dataset.kind = kind;
}

function showError(message) {
  el.error.textContent = message || "";
  if (message) el.text.setAttribute("aria-invalid", "true");
  else el.text.removeAttribute("aria-invalid");
}

async function save() {
  if (view.saving || !live || ended()) return;
  const text = el.text.value;
  if (!text.trim()) {
    showError("Write the note first.");
    el.text.focus();
    return;
  }
  if (text.trim().length > maxLength) {
    showError(`A note can be at most ${maxLength} characters; this one has ${text.trim().length}.`);
    return;
  }
  const stage = el.stage.value || (view.state && view.state.stage.key);
  const table = el.table.value || null;
  // The same note sent again (after a lost connection) keeps its id: stored once.
  const same =
    view.pending &&
    view.pending.text === text &&
    view.pending.stage === stage &&
    view.pending.table === table;
  if (!same) view.pending = { clientId: clientId(), text, stage, table };
  view.saving = true;
  showError("");
  setStatus("Saving…", "saving");
  renderControls();
  try {
    const ack = await live.send("note", {
      client_id: view.pending.clientId,
      text,
      stage,
      table,
    });
    if (ack && ack.ok) {
      view.pending = null;
      el.text.value = "";
      storage.set("draft", null);
      storage.set("draft-stage", null);
      view.followStage = true;
      setStatus("Saved ✓", "saved");
      renderCharCount();
      renderStageSelect();
    } else {
      setStatus("");
      showError((ack && ack.error) || "The note was not saved; please try again.");
    }
  } finally {
    view.saving = false;
    renderControls();
    el.text.focus();
  }
}

// Live messages ------------------------------------------------------------------------

function onNotes(message) {
  if (!message || !Array.isArray(message.notes)) return;
  if (typeof message.seq === "number") {
    if (message.seq < view.notesSeq) return; // an older push arriving late
    view.notesSeq = message.seq;
  }
  view.notes = message.notes;
  renderNotes();
}

function onSync(reply) {
  view.state = reply.state;
  view.stages = reply.stages || [];
  view.tables = reply.tables || [];
  if (reply.label) {
    view.label = reply.label;
    el.writingAs.textContent = reply.label;
  }
  el.stage.dataset.built = "";
  view.notesSeq = 0;
  onNotes(reply.notes);
  renderTableSelect();
  renderAll();
}

function onState(state) {
  const tablesBefore = JSON.stringify(tables());
  view.state = state;
  if (JSON.stringify(tables()) !== tablesBefore) renderTableSelect();
  renderAll();
}

function onStatus(status, message) {
  showStatus(el.connection, status, message);
  view.connected = status === "connected";
  if (status === "refused") {
    showError(`${message || "The server refused the connection."} Reload the page to try again.`);
  }
  renderControls();
}

// Wiring -------------------------------------------------------------------------------

function wire() {
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  el.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
    }
  });
  el.text.addEventListener("input", () => {
    // Once typing starts, the note keeps the stage it was begun under.
    view.followStage = !el.text.value.trim() && el.stage.value === view.state?.stage.key;
    storage.set("draft", el.text.value);
    storage.set("draft-stage", el.text.value ? el.stage.value : null);
    if (el.saveStatus.dataset.kind === "saved") setStatus("");
    if (el.error.textContent) showError("");
    renderCharCount();
  });
  el.stage.addEventListener("change", () => {
    const current = view.state ? view.state.stage.key : el.stage.value;
    view.followStage = el.stage.value === current && !el.text.value.trim();
    if (el.text.value) storage.set("draft-stage", el.stage.value);
    renderStageSelect();
  });
  el.table.addEventListener("change", () => storage.set("table", el.table.value));

  const draft = storage.get("draft");
  if (draft) {
    el.text.value = draft;
    view.followStage = false;
    view.restoreStage = storage.get("draft-stage");
    setStatus("Your unsaved note is back.", "draft");
  }
  renderCharCount();
  renderNotes();
}

wire();
live = connectLive({
  code,
  role: "notetaker",
  on: { sync: onSync, state: onState, status: onStatus },
});
live.socket.on("notes", onNotes);
