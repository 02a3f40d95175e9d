// The facilitator's live console (templates/facilitator/console.html).
//
// Everything shown comes from the server: the sync reply on every (re)connect, then the
// `state`, `results` and `comments` pushes (docs/protocol.md). A control only sends its
// event; the page changes when the `state` broadcast arrives, which every console of the
// session gets, so two tabs (or two facilitators) stay in step.

import { connectLive, fill, h, paragraphs, showSessionEnded, showStatus } from "./live.js";
import { loadResults, resultFor, resultTypes, showsResults } from "./activities/results.js";
import { countsOf, renderCounts, renderPreview } from "./console-results.js";
import { consoleAnnouncer } from "./console-announcer.js";
import { renderComments } from "./console-comments.js";
import { peopleAndTables } from "./console-tables.js";
import { breakdowns } from "./console-breakdowns.js";
import { setupNotes } from "./console-notes.js";
import { setupControls } from "./console-controls.js";
import { linkRevocation } from "./console-links.js";
import { setupFlow } from "./console-flow.js";
import { keepMenusInView } from "./console-menus.js";
import { canGoBack, slidePreview } from "./console-slides.js";

// Any stage may come up at any moment: every type's result module is loaded before the
// page starts (the phone loads only the stage's own, activities/results.js).
await loadResults(resultTypes);

const $ = (id) => document.getElementById(id);

const el = {
  connection: $("connection"),
  alert: $("alert"),
  endedBanner: $("ended-banner"),
  sessionState: $("session-state"),
  projector: $("projector-link"),
  end: $("end-session"),
  endDialog: $("end-dialog"),
  endConfirm: $("end-confirm"),
  endCancel: $("end-cancel"),
  stageList: $("stage-list"),
  scenarioSetting: $("scenario-setting"),
  position: $("stage-position"),
  title: $("stage-title"),
  prompt: $("stage-prompt"),
  previous: $("previous-stage"),
  next: $("next-stage"),
  toggleInput: $("toggle-input"),
  inputState: $("input-state"),
  toggleResults: $("toggle-results"),
  resultsState: $("results-state"),
  counts: $("counts"),
  announcer: $("console-announcer"),
  stageBody: $("stage-body"),
  preview: $("preview"),
  previewLabel: $("preview-label"),
  previewBody: $("preview-body"),
  comments: $("comments"),
  commentCount: $("comment-count"),
};

const view = {
  state: null, // the last `state` (or sync's state)
  stages: [], // [{index, key, title, type, type_label}] from sync
  scenarios: [], // [{key, title}] from sync
  results: null, // the last `results` of the current stage
  comments: null, // the last `comments` of the current stage
  connected: false,
  busy: false, // a control is waiting for its ack
  renderedStageKey: null,
};

// Sending ------------------------------------------------------------------------------

function showAlert(message) {
  el.alert.textContent = message || "";
}

let live = null;
let people = null; // the People and tables panel (console-tables.js)
let breakdown = null; // the breakdown switch and consensus (console-breakdowns.js)
let notes = null; // the Notes panel (console-notes.js)
let roomControls = null; // lifecycle, timer, screen mode, projector links (console-controls.js)
let revocation = null; // "Revoke and make a new link" for both links (console-links.js)
let flow = null; // the big button, its keys and the flow settings (console-flow.js)

/** Send a control event; while it waits for its ack every control is off. */
async function act(event, payload = {}) {
  if (view.busy || !live) return null;
  const focused = document.activeElement;
  view.busy = true;
  showAlert("");
  renderControls();
  try {
    const ack = await live.send(event, payload);
    if (!ack || !ack.ok) showAlert((ack && ack.error) || "That did not work; please try again.");
    return ack;
  } finally {
    view.busy = false;
    renderControls();
    // A redraw (a stage list rebuilt) can drop keyboard focus; give it back if nothing took it.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost && focused && focused.isConnected && !focused.disabled) focused.focus();
  }
}

/** Turn a control off. The one holding keyboard focus while a control waits for its ack
 * is only marked aria-disabled (act ignores presses while busy): disabling it would drop
 * the focus to the page, and the next Tab would start from the top. */
function setOff(control, off) {
  const keepFocus = off && view.busy && control === document.activeElement;
  control.disabled = off && !keepFocus;
  if (keepFocus) control.setAttribute("aria-disabled", "true");
  else control.removeAttribute("aria-disabled");
}

/** The back key and the console's Previous page button: a page back on slides, else the
 * previous stage (on its last page if it is slides). */
function goBack() {
  if (!controlsOff() && canGoBack(view.state)) act("back");
}

// Rendering ----------------------------------------------------------------------------

const ended = () => Boolean(view.state && ["ended", "archived"].includes(view.state.status));
const takesInput = (stage) => Boolean(stage && (stage.answerable || stage.comments));
// Information and scenario cards have nothing to reveal (state.flow.has_results).
const hasResults = (state) => Boolean(state && (!state.flow || state.flow.has_results));
const controlsOff = () => !view.connected || view.busy || !view.state || ended();

function renderControls() {
  const state = view.state;
  const off = controlsOff();
  const index = state ? state.stage_index : 0;
  setOff(el.previous, off || index <= 0);
  setOff(el.next, off || !state || index >= state.stage_count - 1);
  setOff(el.end, off);
  setOff(el.toggleInput, off || !takesInput(state && state.stage));
  setOff(el.toggleResults, off || !hasResults(state));
  for (const button of el.stageList.querySelectorAll("button")) setOff(button, off);
  for (const select of document.querySelectorAll("[data-scenario-select]")) {
    select.disabled = off || !view.scenarios.length;
  }
  // Moderation stays possible after the session ends (the server allows it).
  const moderationOff = !view.connected || view.busy;
  for (const button of el.comments.querySelectorAll("button.moderate")) {
    button.disabled = moderationOff;
  }
  el.endConfirm.disabled = off;
  if (people) people.controls(off);
  if (breakdown) breakdown.controls(off);
  if (roomControls) roomControls.controls(off);
  if (flow) flow.render(off);
  // Revoking a link stays possible after the session ends: one may have got out.
  if (revocation) revocation.controls(!view.connected || view.busy);
}

function renderSession() {
  const isEnded = ended();
  el.endedBanner.hidden = !isEnded;
  document.body.dataset.status = isEnded ? "ended" : "live";
  el.sessionState.textContent = isEnded ? "Session ended" : "Session open";
  el.sessionState.dataset.status = isEnded ? "ended" : "live";
  el.end.textContent = isEnded ? "Session ended" : "End session";
  if (el.connection) showSessionEnded(el.connection, isEnded);
}

/** Scroll the stage list to the current stage where the list scrolls in its own pane (a
 * laptop); where the whole page scrolls (a narrow window), leave the page where it is. */
function showInList(button) {
  const pane = button.closest(".pane");
  if (pane && getComputedStyle(pane).overflowY === "auto") button.scrollIntoView({ block: "nearest" });
}

function renderStageList() {
  const state = view.state;
  if (!view.stages.length) return;
  if (el.stageList.dataset.built !== "yes") {
    fill(
      el.stageList,
      view.stages.map((stage) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "stage-link",
              dataset: { index: String(stage.index) },
              onclick: () => act("goto", { index: stage.index }),
            },
            h("span", { class: "stage-number" }, String(stage.index + 1)),
            h(
              "span",
              { class: "stage-name" },
              h("span", { class: "stage-link-title" }, stage.title),
              h("span", { class: "stage-link-type" }, stage.type_label),
            ),
          ),
        ),
      ),
    );
    el.stageList.dataset.built = "yes";
  }
  for (const button of el.stageList.querySelectorAll("button")) {
    const current = state && Number(button.dataset.index) === state.stage_index;
    if (current) {
      button.setAttribute("aria-current", "step");
      if (view.renderedStageKey !== state.stage.key) showInList(button);
    } else {
      button.removeAttribute("aria-current");
    }
  }
}

function scenarioSelect(id) {
  const select = h("select", { id, "data-scenario-select": true });
  select.addEventListener("change", onScenarioChange);
  return select;
}

function fillScenarioSelect(select) {
  const chosen = view.state && view.state.scenario ? view.state.scenario.key : "";
  if (select.dataset.built !== "yes") {
    fill(
      select,
      h("option", { value: "", disabled: true }, "No scenario chosen"),
      view.scenarios.map((s) => h("option", { value: s.key }, s.title)),
    );
    select.dataset.built = "yes";
  }
  select.value = chosen;
}

async function onScenarioChange(event) {
  const select = event.currentTarget;
  const ack = await act("choose_scenario", { scenario: select.value });
  if (!ack || !ack.ok) fillScenarioSelect(select); // back to what the room sees
}

function scenarioCard(scenario) {
  if (!scenario) {
    return h(
      "div",
      { class: "scenario-card empty" },
      h("p", {}, "No scenario is chosen yet. Choose one below: the room sees it on this stage."),
    );
  }
  const facts = [
    ["Data", scenario.data],
    ["Who shares with whom", scenario.sharing],
    ["Anonymisation", scenario.anonymisation],
  ].filter(([, value]) => value);
  return h(
    "div",
    { class: "scenario-card" },
    h("h3", {}, scenario.title),
    paragraphs(scenario.summary),
    facts.length
      ? h("dl", { class: "scenario-facts" }, facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]))
      : null,
  );
}

function itemsOf(stage) {
  if (!stage.items || !stage.items.length) return null;
  const list = resultFor(stage.type).orderedItems ? "ol" : "ul";
  return h(
    list,
    { class: "stage-items" },
    stage.items.map((item) =>
      h(
        "li",
        {},
        h("span", { class: "item-label" }, item.label),
        item.description ? h("span", { class: "item-description" }, item.description) : null,
      ),
    ),
  );
}

function renderStage() {
  const state = view.state;
  if (!state) return;
  const stage = state.stage;
  const kind = resultFor(stage.type);
  el.position.textContent = `Stage ${state.stage_index + 1} of ${state.stage_count} · ${stage.type_label}`;
  el.title.textContent = stage.title;
  // The question sits under the title, so it stays in view above the results preview.
  el.prompt.textContent = stage.prompt;
  const how = [
    kind.howToAnswer(stage),
    stage.comments && !kind.commentsAreAnswers ? "They can also comment." : null,
  ]
    .filter(Boolean)
    .join(" ");
  const scenarioStage = kind.showsScenario;
  let stageScenarioSelect = null;
  if (scenarioStage && view.scenarios.length) {
    stageScenarioSelect = scenarioSelect("scenario-stage-select");
  }
  fill(
    el.stageBody,
    paragraphs(stage.body),
    slidePreview(state, { back: goBack }),
    scenarioStage ? scenarioCard(state.scenario) : null,
    stageScenarioSelect
      ? h(
          "div",
          { class: "field scenario-stage-field" },
          h("label", { for: "scenario-stage-select" }, "Scenario shown to the room"),
          stageScenarioSelect,
        )
      : null,
    itemsOf(stage),
    how ? h("p", { class: "stage-how muted" }, how) : null,
  );
  for (const select of document.querySelectorAll("[data-scenario-select]")) fillScenarioSelect(select);

  const input = takesInput(stage);
  el.toggleInput.hidden = !input;
  el.toggleInput.textContent = state.input_open ? "Close input" : "Open input";
  el.toggleInput.className = state.input_open ? "secondary" : "";
  el.inputState.textContent = !input
    ? "No input on this stage"
    : state.input_open
      ? "Input open"
      : "Input closed";
  el.inputState.dataset.on = input && state.input_open ? "yes" : "no";

  const results = hasResults(state);
  el.toggleResults.hidden = !results;
  el.toggleResults.textContent = state.revealed ? "Hide results" : "Reveal results";
  el.resultsState.textContent = !results
    ? "No results on this stage"
    : state.revealed
      ? "Results shown to the room"
      : "Results hidden from the room";
  el.resultsState.dataset.on = results && state.revealed ? "yes" : "no";
  if (results) announcer.results(stage.key, state.revealed);
}

// Counts and results said politely to a screen reader (console-announcer.js).
const announcer = consoleAnnouncer((words) => {
  el.announcer.textContent = words;
});

function renderResults() {
  const state = view.state;
  const stage = state ? state.stage : null;
  const message = view.results && stage && view.results.stage === stage.key ? view.results : null;
  renderCounts(el.counts, message, stage);
  if (message) announcer.counts(stage.key, countsOf(message, stage));
  // An information or scenario card has no results: its text comes up under the controls.
  el.preview.hidden = !hasResults(state);
  if (stage && showsResults(stage)) {
    el.previewLabel.textContent = state.revealed
      ? "Shown on the projector and phones"
      : "Preview: only you see this until you reveal";
    el.previewLabel.dataset.revealed = state.revealed ? "yes" : "no";
  } else {
    el.previewLabel.textContent = "";
  }
  renderPreview(el.previewBody, stage, message);
  if (breakdown) breakdown.render(view);
}

function renderCommentsPanel() {
  const stage = view.state ? view.state.stage : null;
  const focused = document.activeElement;
  const focusedId = focused && focused.closest ? focused.closest("[data-comment-id]") : null;
  const keep = focusedId ? focusedId.dataset.commentId : null;
  if (breakdown) breakdown.render(view);
  el.commentCount.textContent = renderComments(el.comments, stage, view.comments, {
    moderate: (event, commentId) => act(event, { comment_id: commentId }),
    disabled: !view.connected || view.busy,
  });
  if (keep) {
    const again = el.comments.querySelector(`[data-comment-id="${CSS.escape(keep)}"] button`);
    if (again) again.focus();
  }
}

function renderAll() {
  renderSession();
  renderStageList();
  renderStage();
  renderResults();
  renderCommentsPanel();
  renderControls();
  if (view.state) view.renderedStageKey = view.state.stage.key;
}

// Live messages ------------------------------------------------------------------------

function showProjectorLink(url) {
  if (!url) return;
  el.projector.href = url;
  el.projector.removeAttribute("aria-disabled");
}

/** New links after one was revoked: from the ack, or a `links` push to every console. */
function onLinks(message) {
  if (!message) return;
  showProjectorLink(message.screen_url);
  if (roomControls && message.screen_links) roomControls.links(message.screen_links);
  if (notes) notes.invite(message.notes_url);
}

function onSync(reply) {
  view.stages = reply.stages || [];
  view.scenarios = reply.scenarios || [];
  view.state = reply.state;
  view.results = reply.results;
  view.comments = reply.comments;
  showProjectorLink(reply.screen_url);
  el.stageList.dataset.built = "";
  el.scenarioSetting.dataset.built = "";
  renderAll();
  if (notes) notes.sync(reply);
  if (people) people.sync(reply);
  if (roomControls) roomControls.sync(reply);
}

function onState(state) {
  if (people) people.state(state);
  const stageChanged = !view.state || view.state.stage.key !== state.stage.key;
  view.state = state;
  if (stageChanged) {
    // The new stage's results and comments follow in their own messages.
    if (view.results && view.results.stage !== state.stage.key) view.results = null;
    if (view.comments && view.comments.stage !== state.stage.key) view.comments = null;
  }
  renderAll();
}

function onResults(message) {
  view.results = message;
  renderResults();
}

function onComments(message) {
  view.comments = message;
  renderCommentsPanel();
  renderControls();
}

function onStatus(status, message) {
  showStatus(el.connection, status, message);
  view.connected = status === "connected";
  if (status === "refused") {
    showAlert(`${message || "The server refused the connection."} Reload the page to try again.`);
  }
  renderControls();
}

// B blacks the projectors out, and brings back what they showed before.
let modeBeforeBlack = "auto";

function blackOut() {
  const state = view.state;
  if (controlsOff() || !state) return;
  if (state.screen_mode === "black") {
    act("set_screen_mode", { mode: modeBeforeBlack });
  } else {
    modeBeforeBlack = state.screen_mode || "auto";
    act("set_screen_mode", { mode: "black" });
  }
}

// Wiring -------------------------------------------------------------------------------

function wire() {
  el.previous.addEventListener("click", () => act("goto", { index: view.state.stage_index - 1 }));
  el.next.addEventListener("click", () => act("goto", { index: view.state.stage_index + 1 }));
  el.toggleInput.addEventListener("click", () =>
    act(view.state.input_open ? "close_input" : "open_input"),
  );
  el.toggleResults.addEventListener("click", () =>
    act(view.state.revealed ? "hide_results" : "reveal"),
  );
  el.scenarioSetting.addEventListener("change", onScenarioChange);
  el.projector.addEventListener("click", (event) => {
    if (el.projector.getAttribute("aria-disabled") === "true") event.preventDefault();
  });
  el.end.addEventListener("click", () => {
    if (el.end.getAttribute("aria-disabled") !== "true") el.endDialog.showModal();
  });
  el.endCancel.addEventListener("click", () => el.endDialog.close());
  el.endConfirm.addEventListener("click", async () => {
    el.endDialog.close();
    await act("end_session");
  });
}

wire();
keepMenusInView();
live = connectLive({
  code: document.body.dataset.code,
  role: "facilitator",
  on: {
    sync: onSync,
    state: onState,
    results: onResults,
    comments: onComments,
    status: onStatus,
  },
});
notes = setupNotes(live);
people = peopleAndTables({ root: $("people-panel"), socket: live.socket, act });
roomControls = setupControls({
  view,
  act,
  lifecycleEl: $("lifecycle"),
  sessionStateEl: el.sessionState,
  timerEl: $("timer-panel"),
  screenEl: $("screen-panel"),
  linksEl: $("projector-links-panel"),
});
live.socket.on("links", onLinks);
revocation = linkRevocation({
  act,
  applyLinks: onLinks,
  places: { screen: $("projector-links"), notes: document.querySelector(".invite-row") },
});
flow = setupFlow({
  view,
  act,
  setOff,
  buttonEl: $("next-press"),
  settingsEl: $("flow-settings"),
  helpEl: $("keys-dialog"),
  commands: {
    back: goBack,
    results: () => {
      if (!el.toggleResults.hidden && !el.toggleResults.disabled) el.toggleResults.click();
    },
    input: () => {
      if (!el.toggleInput.hidden && !el.toggleInput.disabled) el.toggleInput.click();
    },
    black: () => blackOut(),
  },
});
renderControls();
breakdown = breakdowns({
  switchEl: $("breakdown-switch"),
  numbersEl: $("breakdown-numbers"),
  consensusEl: $("consensus"),
  act,
});
