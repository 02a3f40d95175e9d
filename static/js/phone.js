// The participant's phone: shows the stage the facilitator is on, takes answers and
// comments, shows the room's results once revealed, and lets the person withdraw.
//
// The server is the truth: everything shown is rebuilt from the `sync` reply on every
// (re)connect and from `state`, `results` and `comments` pushes (docs/protocol.md).
// A stage's controls are built once when the stage appears and then updated in place,
// so a push never throws away what someone is typing or arranging.

import "./phone-address.js"; // first: the modules below read the address
import { clientId, connectLive, fill, h, showSessionEnded, showStatus } from "./live.js";
import { inputFor, inputsLoaded, loadInputs } from "./activities/inputs.js";
import { loadResults, resultFor, resultsLoaded, showsResults } from "./activities/results.js";
import { courier, pendingStore } from "./phone-pending.js";
import { keepWorkingOffline, offlineMemory } from "./phone-offline.js";
import { resultsView } from "./phone-results.js";
import { showControls } from "./phone-controls.js";
import { pacer } from "./phone-pace.js";
import { localResults, localScenario, localStage, sectorLabel, t } from "./phone-text.js";
import { clockTime, isChange } from "./saved-answer.js";
import "./phone-bars.js";

const body = document.body;
const code = body.dataset.code;
const view = document.getElementById("stage-view");
const pill = document.getElementById("connection");
const announcer = document.getElementById("announcer");
let speaking = false; // announce() stays quiet until the first render is done
let toSay = []; // what announce() says next
const statusBar = document.getElementById("answer-status");
const menuButton = document.getElementById("menu-button");
const menu = document.getElementById("menu");
const whoName = document.getElementById("who-name");
const whoSector = document.getElementById("who-sector");
const noticeDialog = document.getElementById("notice-dialog");
const withdrawDialog = document.getElementById("withdraw-dialog");
const withdrawButton = document.getElementById("start-withdraw");
const confirmWithdraw = document.getElementById("confirm-withdraw");
const withdrawError = document.getElementById("withdraw-error");

const app = {
  state: null, // the latest `state` message
  me: null, // who I am (sync `me`), without answers
  saved: {}, // stage key -> the answer the server has stored for me
  results: null, // the latest `results` message
  comments: null, // the latest `comments` message
  own: new Set(), // ids of my comments
  reactions: {}, // comment id -> "agree" | "disagree"
  withdrawn: false,
  refused: null, // why the server would not let us in
  online: false, // connected to the server now
  // On a stage of the framework profile, the person's own profile to mark on the room's
  // ({stage, profile}); asked for again after every (re)connect (ownProfileFor).
  ownProfile: null,
  // On a statements stage's revealed results, the person's opinion group ({stage, shown,
  // at, refused}): asked for on each reveal, after every (re)connect, again as the
  // results change (ownGroupFor) and after the person's own votes (ownGroupAfterVote).
  ownGroup: null,
};

// Stage key -> the last answer given to it from this page: {value, clientId, title, ack,
// changes, savedAt}. `ack` is the server's last word on it once it is no longer on its way
// (see showSaveStatus); `changes`: it alters an answer saved before; `savedAt`: the ack's time.
const lastAnswers = {};
const pending = pendingStore(code); // unacknowledged answers, comments, reactions
const offline = offlineMemory(code); // the last stage, for a reload without the network
let resent = false; // whether what the last page load left unsent has been sent again
// {event, stage, title, reason}: refused answers (and comments and reactions refused while
// their stage was not on screen) not yet dismissed.
const refusedAnswers = [];
const pendingNote = h("div", { class: "pending-note", role: "status", hidden: true });
view.before(pendingNote);
const commentDrafts = {};
// Answers, comments and reactions, kept in `pending` until acked. A newer answer to a stage
// supersedes the one still on its way, which the courier stops resending.
const sender = courier(pending, (event, payload) => live.send(event, payload), {
  stopped: () => app.withdrawn,
  changed: (entry) => {
    if (entry.event === "answer") refreshAnswer(entry.stage);
    else updateComments();
    showPending();
  },
});

let screen = null; // what is on screen now: {mode, key, ...parts}

// Each activity type's modules are loaded when a stage of the type first comes
// (activities/registry.js), not with the page. What the server sends is drawn in the order
// it came: a message that brings a stage whose modules are loading waits for them, and
// every message after it waits its turn, so a stage is never drawn with the base's parts
// first, nor its results before it. Returns the handler, which returns a promise of the
// message drawn.
let turns = Promise.resolve(); // the last message that waits its turn, once drawn
let waiting = 0; // messages waiting their turn
const stageTypes = (state) => (state && state.stage ? [state.stage.type] : []);
function inTurn(stateOf, handle) {
  return (message) => {
    const types = stageTypes(stateOf(message));
    if (!waiting && inputsLoaded(types) && resultsLoaded(types)) {
      handle(message);
      return Promise.resolve();
    }
    waiting += 1;
    const turn = turns.then(async () => {
      try {
        await Promise.all([loadInputs(types), loadResults(types)]);
      } catch {
        // Offline before the worker kept them: the stage shows what every stage has, and is
        // built again with its own parts once they load (showScreen).
      }
      handle(message);
    });
    turns = turn
      .catch(() => {}) // a failed draw is the console's to show; the next message still comes
      .then(() => {
        waiting -= 1;
      });
    return turn;
  };
}
const noStage = () => null;

const live = connectLive({
  code,
  role: "participant",
  on: {
    status: onStatus,
    sync: inTurn((reply) => reply.state, onSync),
    state: inTurn(
      (message) => message,
      (message) => {
        app.state = localState(message);
        offline.rememberStage(message);
        showControls(message); // countdown and pause notice
        render();
      },
    ),
    results: inTurn(noStage, (message) => {
      app.results = message;
      if (screen && screen.mode === "stage") updateResults();
    }),
    comments: inTurn(noStage, (message) => {
      app.comments = message;
      if (screen && screen.mode === "stage") {
        updateComments();
        updateClosedNote(); // the first comments show the stage has been open
      }
    }),
  },
});

// A self-paced run (phone-pace.js): the person moves with Back and Next, each move's ack
// drawn as a sync reply; in a live session it does nothing.
const pace = pacer({
  send: (event, payload) => live.send(event, payload),
  show: inTurn((reply) => reply.state, onSync),
  current: () => ({
    state: app.state,
    mode: screen && screen.mode,
    unanswered: unanswered(),
  }),
  render,
  focusHeading,
  announce,
  withdraw: () => withdrawButton.click(),
});

/** Whether the stage on screen asks something the person has not answered ("Skip"): an
 * answer, or on a stage whose answers are its comments (open text), a comment of theirs. */
function unanswered() {
  if (!screen || screen.mode !== "stage" || !app.state) return false;
  const stage = app.state.stage;
  if (stage.answerable) return displayedAnswer(stage.key) === undefined;
  if (!resultFor(stage.type).commentsAreAnswers) return false;
  const wall = app.comments && app.comments.stage === stage.key ? app.comments.comments : [];
  return !wall.some((comment) => app.own.has(comment.id));
}

// The plan's text in this phone's language: `state` and `results` go to the whole room in
// the plan's own language, so each phone puts its own words in (phone-text.js); results
// are relabelled as they are drawn (updateResults).
function localState(state) {
  if (!state) return state;
  return { ...state, stage: localStage(state.stage), scenario: localScenario(state.scenario) };
}

// Connection ------------------------------------------------------------------------

function onStatus(status, message) {
  if (app.withdrawn) return;
  app.online = status === "connected";
  showStatus(pill, status, status === "refused" ? t("Not connected") : message, t);
  if (status === "refused") {
    app.refused = message ? t(message) : t("The workshop would not let this phone in.");
    render();
  } else if (screen && screen.mode === "stage") {
    updateStage();
  }
  showPending();
}

// Answers the server acked, with the seq of their event: a sync reply computed before an
// answer was stored (its seq is lower) must not take that answer's "Saved ✓" away.
const ackedAnswers = {};

function onSync(reply) {
  const { answers = {}, reactions = {}, ...me } = reply.me || {};
  app.me = me;
  app.saved = { ...answers };
  for (const [stageKey, acked] of Object.entries(ackedAnswers)) {
    if (acked.seq > (reply.seq || 0)) app.saved[stageKey] = acked.value;
  }
  app.reactions = { ...reactions };
  app.own = new Set(reply.own_comments || []);
  app.state = localState(reply.state);
  offline.rememberStage(reply.state);
  showControls(reply.state);
  app.results = reply.results || null;
  app.comments = reply.comments || null;
  app.ownProfile = null; // asked for again: answers may have changed while away
  app.ownGroup = null; // and so may the groups
  app.refused = null;
  showWho();
  if (me.withdrawn) {
    // Nothing more to send or receive; and a withdrawn phone is not counted as connected.
    app.withdrawn = true;
    pending.clear();
    offline.forget();
    live.socket.disconnect();
  }
  render();
  if (!resent && !app.withdrawn) {
    resent = true;
    resendPending();
  }
  showPending();
}

// A run was closed, extended or reopened (live/paced.py): ask again for what I see.
live.socket.on("run_changed", () => pace.reload());

// The facilitator moved me to another table (or took mine away): a `me` push, the same
// object as the sync reply's. Only who I am is taken from it; answers stay as they are.
live.socket.on("me", (message) => {
  if (!message || app.withdrawn) return;
  const { answers: _answers, reactions: _reactions, ...me } = message;
  app.me = { ...(app.me || {}), ...me };
  showWho();
});

function showWho() {
  if (!app.me) return;
  whoName.textContent = app.me.display_name || t("Anonymous");
  whoSector.textContent = [app.me.sector && sectorLabel(app.me.sector), app.me.table].filter(Boolean).join(" · ");
}

// Rendering -------------------------------------------------------------------------

function render() {
  showScreen();
  pace.draw(); // a run's Back / Next bar follows what is on screen
}

function showScreen() {
  if (app.withdrawn) return showWithdrawn();
  if (app.refused) return showRefused();
  if (!app.state) return;
  const ended = ["ended", "archived"].includes(app.state.status);
  showSessionEnded(pill, ended, t);
  if (ended) return showEnded();
  if (pace.finished) return showOnly("finished", pace.thanks());
  const stage = app.state.stage;
  // Built again once its type's own parts have loaded, if they had not when it came.
  if (!screen || screen.mode !== "stage" || screen.key !== stage.key || screen.input !== inputFor(stage.type)) {
    const first = !screen;
    buildStage(stage);
    if (!first) {
      announce(t("New: {title}", { title: stage.title }));
      window.scrollTo({ top: 0 });
    }
  }
  updateStage();
  speaking = true; // what the page showed when it loaded is not news; changes from now on are
  showPending(); // which answers are "elsewhere" depends on the stage on screen
}

// Changes a screen reader is told of politely (#announcer, WCAG 4.1.3). Said together when
// they come at once (a new stage whose results are already shown).
function announce(words) {
  if (!speaking) return;
  if (!toSay.length) {
    queueMicrotask(() => {
      announcer.textContent = toSay.join(" ");
      toSay = [];
    });
  }
  toSay.push(words);
}

function showOnly(mode, ...children) {
  if (screen && screen.mode === mode) return;
  showStatusLine(null);
  screen = { mode };
  fill(view, ...children);
}

// The end screens say all there is: an old "Results are shown" must not linger for a
// screen reader to find.
function silence() {
  toSay = [];
  announcer.textContent = "";
}

function showWithdrawn() {
  silence();
  pill.hidden = true;
  withdrawButton.hidden = true;
  showOnly(
    "withdrawn",
    h(
      "section",
      { class: "card end-card" },
      h("h1", {}, t("You have withdrawn. Thank you.")),
      h(
        "p",
        {},
        t("Your answers, comments and agreements have been removed from the results and exports."),
      ),
      h("p", { class: "muted" }, t("You can close this page.")),
    ),
  );
}

function showEnded() {
  silence();
  const run = app.state.pace; // a run says why it closed (closed early, or its date passed)
  showOnly(
    "ended",
    h(
      "section",
      { class: "card end-card" },
      h("h1", {}, run ? t(run.closed || "This consultation has closed. Thank you for your interest.") : t("The workshop has ended. Thank you for taking part.")),
      h("p", {}, t("You can still withdraw from the menu: your answers and comments would be removed.")),
    ),
  );
}

function showRefused() {
  screen = { mode: "refused" };
  showStatusLine(null);
  fill(
    view,
    h(
      "section",
      { class: "card end-card" },
      h("h1", {}, t("This phone is not connected to the workshop")),
      h("p", {}, app.refused),
      h("a", { class: "button wide", href: body.dataset.joinUrl }, t("Go to the join page")),
    ),
  );
}

function buildStage(stage) {
  const parts = { mode: "stage", key: stage.key };
  const header = h(
    "header",
    { class: "stage-head" },
    h(
      "p",
      { class: "stage-step" },
      t("Stage {number} of {count}", { number: app.state.stage_index + 1, count: app.state.stage_count }),
    ),
    h("h1", { class: "stage-title" }, stage.title),
    h("p", { class: "stage-prompt" }, stage.prompt),
  );
  // What this type draws (activities/inputs/<type>.js): a card, the controls, the comments.
  const input = inputFor(stage.type);
  parts.input = input;
  parts.card = input.card(stage);
  parts.activity = input.view(stage, {
    sectors: app.state.sectors,
    joinedSector: app.me && app.me.sector,
    submit: (value) => submitAnswer(stage.key, value),
  });
  parts.closed = h("p", { class: "closed-note", role: "status" });
  parts.results = h("div", { class: "results-slot", hidden: true });
  parts.comments = stage.comments
    ? input.comments(stage, {
        draft: commentDrafts[stage.key] || "",
        keepDraft: (text) => {
          commentDrafts[stage.key] = text;
        },
        post: (text, id) => postComment(stage.key, text, id),
        react: (comment, reaction, id) => react(stage.key, comment, reaction, id),
        kept: () => keptFor(stage.key),
        online: () => app.online,
        waiting: (id) => sender.waiting(id),
        pace: app.state.pace || null,
        // A run's phone holds part of a large wall: ask for the stage again, for more.
        more: app.state.pace ? () => pace.refresh(stage.key) : null,
      })
    : null;
  screen = parts;
  showStatusLine(null); // the bar speaks of this stage's answer from now on
  fill(
    view,
    h(
      "article",
      { class: `stage stage-${stage.type}` },
      header,
      parts.card ? parts.card.element : null,
      parts.closed,
      parts.activity ? parts.activity.element : null,
      parts.results,
      parts.comments ? parts.comments.element : null,
    ),
  );
}

// A run's `input_open` is its window alone (its status is no facilitator's doing).
const inputOpen = () =>
  !!(app.state && app.state.input_open && (app.state.status === "live" || app.state.pace));

// Stage keys this phone has seen open for input, kept over a reload: once a stage has been
// open, "the facilitator will open it" would be wrong when it closes.
const openedKey = `opened:${code}`;
const openedStages = new Set(readOpened());

function readOpened() {
  try {
    return JSON.parse(sessionStorage.getItem(openedKey) || "[]");
  } catch {
    return [];
  }
}

function noteOpened(stageKey) {
  if (openedStages.has(stageKey)) return;
  openedStages.add(stageKey);
  try {
    sessionStorage.setItem(openedKey, JSON.stringify([...openedStages]));
  } catch {
    // Private browsing without storage: the note lasts as long as the page.
  }
}

// Whether input on the stage has been open before: seen open here, revealed, or answered
// or commented on by someone (a phone that joined late sees the wall).
function wasOpened(stageKey) {
  const wall = app.comments && app.comments.stage === stageKey ? app.comments.comments : [];
  return openedStages.has(stageKey) || app.state.revealed || wall.length > 0;
}

function closedWords(stageKey) {
  if (app.state.pace) return t(app.state.pace.closed || "This consultation has closed. Thank you for your interest.");
  return wasOpened(stageKey)
    ? t("The facilitator has closed it for this stage.")
    : t("The facilitator will open it when it is time to answer.");
}

function updateStage() {
  if (!screen || screen.mode !== "stage") return;
  const stage = app.state.stage;
  const open = inputOpen();
  if (open) noteOpened(stage.key);
  if (screen.card) screen.card.update({ scenario: app.state.scenario, slide: app.state.slide });

  updateClosedNote();
  if (screen.activity) {
    screen.activity.update({ value: displayedAnswer(stage.key), open });
    showSaveStatus(stage.key);
  }
  updateResults();
  updateComments();
}

function updateClosedNote() {
  const stage = app.state.stage;
  const takesInput = !!(screen.activity || screen.comments);
  const answered = screen.activity && displayedAnswer(stage.key);
  // While the workshop is paused, the pause notice above says it all.
  if (!takesInput || inputOpen() || app.state.status === "paused") {
    screen.closed.hidden = true;
    return;
  }
  screen.closed.hidden = false;
  fill(
    screen.closed,
    h("strong", {}, t("Input is closed")),
    " ",
    h("span", {}, answered ? t("Your answer is kept.") : closedWords(stage.key)),
  );
}

function updateResults() {
  if (!screen || screen.mode !== "stage") return;
  const stage = app.state.stage;
  const slot = screen.results;
  const message = app.results;
  if (!app.state.revealed || !showsResults(stage)) {
    app.ownGroup = null; // the next reveal asks again: the groups move as people vote
    slot.hidden = true;
    slot.replaceChildren();
    return;
  }
  if (slot.hidden) announce(t("Results are shown"));
  slot.hidden = false;
  if (!message || message.stage !== stage.key || !message.results) {
    fill(slot, h("p", { class: "results-waiting" }, t("The results are on their way…")));
    return;
  }
  const results = localResults(stage, message.results, inputFor(stage.type).resultLabels());
  const extra = {
    own: app.own,
    reactions: app.reactions,
    ownProfile: ownProfileFor(stage),
    ownGroup: ownGroupFor(stage),
  };
  // A run's people answer apart, over days: theirs are everyone's answers so far.
  extra.heading = app.state.pace ? t("Everyone's answers so far") : t("The room's answers");
  fill(slot, resultsView(stage, results, app.saved[stage.key], extra));
}

/** The person's own framework profile for a stage that shows the room's (null until the
 * server's `own_profile` ack has come: the results are drawn again then). */
function ownProfileFor(stage) {
  if (!resultFor(stage.type).resultsFromFramework) return null;
  if (app.ownProfile && app.ownProfile.stage === stage.key) return app.ownProfile.profile;
  const asked = { stage: stage.key, profile: null };
  app.ownProfile = asked;
  live.send("own_profile", {}).then((ack) => {
    if (app.ownProfile !== asked || !ack || !ack.ok) return; // gone, or none to mark
    asked.profile = ack.profile;
    updateResults();
  });
  return null;
}

// While a statements stage's results are shown, groups move as people vote: the person's
// group is asked for again when the results are drawn, at most this often.
const OWN_GROUP_AGAIN_MS = 15000;
// The person's own vote or statement may place them in a group (or move them): asked again
// this long after the last of theirs is saved, so a run of votes makes one ask, once the
// server has had time to group them again (opinion/live.py, off the event loop)...
const OWN_GROUP_AFTER_VOTE_MS = 1500;
// ...and never sooner than this after the last ask: an ask counts against the person's
// events a minute with their votes (facilitation/limits.py, 60), so this path takes at most
// 12 of them, and none while the person votes faster than one every 1.5 s.
const OWN_GROUP_GAP_MS = 5000;
let ownGroupTimer = null;

/** The person's opinion group on a statements stage whose results are shown: {group,
 * why} from the server's `own_opinion_group` ack; null where the plan does not tell
 * participants their group (`stage.tell_participants`), until the ack has come, and until
 * the next reveal when the server refuses (a run's stage not showing results to them). */
function ownGroupFor(stage) {
  // The server would refuse where the plan does not tell people their group: not asked.
  if (!resultFor(stage.type).opinionGroups || !stage.tell_participants) return null;
  const had = app.ownGroup && app.ownGroup.stage === stage.key ? app.ownGroup : null;
  if (had && (had.refused || performance.now() - had.at < OWN_GROUP_AGAIN_MS)) return had.shown;
  return askOwnGroup(stage, had).shown;
}

/** Ask the server for the person's group on `stage` (`had`: the last ask's, whose answer
 * stays on screen while the new one is on its way); the results are drawn again if the
 * answer changes what is shown. */
function askOwnGroup(stage, had) {
  const asked = { stage: stage.key, shown: had ? had.shown : null, at: performance.now(), refused: false };
  app.ownGroup = asked;
  live.send("own_opinion_group", { stage: stage.key }).then((ack) => {
    if (app.ownGroup !== asked || !ack) return; // gone: another stage, a reconnect
    // Too many events a minute, or no answer: what was shown stays; asked again later.
    if (!ack.ok && ack.retry) return;
    const before = JSON.stringify(asked.shown);
    asked.refused = !ack.ok; // not to be told: nothing shown, and no asking again
    asked.shown = ack.ok
      ? { group: ack.group || null, why: ack.why || null, whyValues: ack.why_values || {} }
      : null;
    if (JSON.stringify(asked.shown) !== before) updateResults();
  });
  return asked;
}

/** The person's vote or statement on `stageKey` was saved: while the stage's results show
 * their group, ask for it again soon (OWN_GROUP_AFTER_VOTE_MS after the last one saved). */
function ownGroupAfterVote(stageKey) {
  clearTimeout(ownGroupTimer);
  const ask = () => {
    const had = app.ownGroup;
    const stage = app.state && app.state.stage;
    // Asked on this reveal already (the results draw asks first), and not refused; not
    // gone meanwhile (another stage, the results hidden, a reconnect: each drops it).
    if (!had || had.stage !== stageKey || had.refused || !stage || stage.key !== stageKey) return;
    if (!screen || screen.mode !== "stage" || !app.state.revealed || !showsResults(stage)) return;
    // An ask since (a results draw's) may have come before the groups took this vote in.
    const early = had.at + OWN_GROUP_GAP_MS - performance.now();
    if (early > 0) ownGroupTimer = setTimeout(ask, early);
    else askOwnGroup(stage, had);
  };
  ownGroupTimer = setTimeout(ask, OWN_GROUP_AFTER_VOTE_MS);
}

function updateComments() {
  if (!screen || screen.mode !== "stage" || !screen.comments) return;
  const message = app.comments;
  const comments = message && message.stage === screen.key ? message.comments : [];
  screen.comments.update({
    open: inputOpen(),
    comments,
    own: app.own,
    reactions: shownReactions(),
  });
}

// My reactions as the buttons show them: the server's, and any still on their way.
function shownReactions() {
  const shown = { ...app.reactions };
  for (const entry of pending.all()) {
    if (entry.event !== "react") continue;
    const id = String(entry.payload.comment_id);
    if (entry.payload.reaction === "none") delete shown[id];
    else shown[id] = entry.payload.reaction;
  }
  return shown;
}

// Answers ---------------------------------------------------------------------------

/** The answer to show for `stageKey`: the last one given while on its way, else the saved one. */
function displayedAnswer(stageKey) {
  const last = lastAnswers[stageKey];
  return last && sender.sending(last.clientId) ? last.value : app.saved[stageKey];
}

/** Send an answer to `stageKey`: a new `value`, or `submission` ({value, clientId, title})
 * again (a retry after a refusal, or left unsent by the last page load). */
function submitAnswer(stageKey, value, submission = null) {
  const pressed = document.activeElement; // a Submit button, a scale point, "Try again"…
  const onScreen = app.state && app.state.stage.key === stageKey ? app.state.stage.title : stageKey;
  const title = (submission && submission.title) || onScreen;
  const last = submission ? { ...submission, title } : { value, clientId: clientId(), title };
  last.ack = null;
  last.savedAt = null;
  last.changes = isChange(app.saved[stageKey], last.value);
  lastAnswers[stageKey] = last;
  dropRefused(stageKey); // a new answer to the stage replaces the one refused
  // Kept until the server acknowledges it, across a dropped connection and a reload.
  const entry = {
    client_id: last.clientId,
    event: "answer",
    stage: stageKey,
    title,
    payload: { stage: stageKey, client_id: last.clientId, value: last.value },
  };
  sender.deliver(entry, (ack) => answerAcked(stageKey, last, ack));
  refreshAnswer(stageKey);
  focusStatusIfLost(pressed);
}

/** A control that sent an answer and is now off (a Submit with nothing new to send) or gone
 * ("Try again", redrawn away) would drop the focus to the page (WCAG 2.4.3): the status
 * bar, which says what became of the answer, takes it instead. */
function focusStatusIfLost(pressed) {
  const ours = pressed && (view.contains(pressed) || statusBar.contains(pressed));
  if (!ours || (pressed.isConnected && !pressed.disabled)) return;
  statusBar.tabIndex = -1;
  statusBar.focus();
}

function answerAcked(stageKey, answer, ack) {
  if (ack.ok) {
    app.saved[stageKey] = answer.value;
    ackedAnswers[stageKey] = { value: answer.value, seq: ack.seq || 0 };
    if (answer.value.sector && app.me) {
      app.me.sector = answer.value.sector;
      showWho();
    }
  }
  // A superseded answer leaves the status line and the note to the newer one.
  if (!ack.superseded && lastAnswers[stageKey] === answer) {
    answer.ack = ack;
    if (ack.ok) answer.savedAt = new Date(); // the phone's clock when the server said so
    if (!ack.ok) {
      dropRefused(stageKey);
      refusedAnswers.push({ event: "answer", stage: stageKey, title: answer.title, reason: answerRefusal(ack) });
    }
  }
  refreshAnswer(stageKey);
  if (ack.ok) pace.refresh(stageKey); // a run: the stage's results, now the person may see them
  else pace.reload(); // a run may have closed meanwhile: its phone is told nothing else
}

const answerRefusal = (ack) => (ack.error ? t(ack.error) : t("Your answer was not saved."));

/** Redraw what shows `stageKey`'s answer: its status line if on screen, and the note. */
function refreshAnswer(stageKey) {
  if (screen && screen.mode === "stage" && screen.key === stageKey) updateStage();
  showPending();
  pace.draw(); // "Skip" becomes "Next" once the stage is answered
}

// The status bar at the bottom of the screen (#answer-status, a polite live region): what it
// says now, so that a render which changes nothing is not announced again.
let statusShown = "";

/** Say `words` (and offer `action`, a button) in the status bar; no state: empty it. */
function showStatusLine(state, words = [], action = null) {
  const parts = [words].flat();
  const key = state ? [state, ...parts.map((part) => part.textContent ?? part), Boolean(action)].join("|") : "";
  if (key === statusShown) return;
  statusShown = key;
  if (!state) {
    statusBar.replaceChildren();
    return;
  }
  fill(statusBar, h("p", { class: "save-status", dataset: { state } }, h("span", {}, parts), action));
}

/** "Saved ✓ 14:02:31" or "Changed ✓ 14:02:31" for an answer acked on this page; plain
 * "Saved ✓" for one the server had before (a reload), whose time the phone never heard. */
function savedWords(last) {
  if (!last || !last.savedAt) return t("Saved ✓");
  const time = h("time", { datetime: last.savedAt.toISOString() }, clockTime(last.savedAt));
  return [last.changes ? t("Changed ✓") : t("Saved ✓"), " ", time];
}

function showSaveStatus(stageKey) {
  const last = lastAnswers[stageKey];
  const onItsWay = last && sender.sending(last.clientId);
  const reason = onItsWay ? sender.waiting(last.clientId) : null;
  if (onItsWay && reason !== null) {
    showStatusLine("waiting", t("Not sent yet: {reason}", { reason: t(reason) }));
  } else if (onItsWay && !app.online) {
    showStatusLine("waiting", t("Not sent yet: will send when you're back online"));
  } else if (onItsWay) {
    showStatusLine("saving", t("Saving…"));
  } else if (last && last.ack && !last.ack.ok) {
    // The button reads the answer when pressed: the bar is not redrawn for an equal refusal.
    const retry = inputOpen()
      ? h(
          "button",
          {
            type: "button",
            class: "secondary retry",
            onclick: () => submitAnswer(stageKey, null, lastAnswers[stageKey]),
          },
          t("Try again"),
        )
      : null;
    showStatusLine("error", t("Not saved: {reason}", { reason: answerRefusal(last.ack) }), retry);
  } else if (app.saved[stageKey] !== undefined) {
    showStatusLine("saved", savedWords(last && last.ack && last.ack.ok ? last : null));
  } else {
    showStatusLine(null);
  }
}

// Answers waiting to be sent, and answers the server refused for a stage no longer on
// screen: said in words above the stage, so nothing is lost without the person knowing.
// Before the first sync (just after a reload) this is the only place they show.

// What the note says of what is on its way, and of what was refused, for each kind.
// (Functions, not a table: the note is drawn before the module's constants are set.)
function waitingWords(event, title) {
  const online = app.online;
  if (event === "comment") {
    return online
      ? t("Your comment on “{title}” is not sent yet: sending now…", { title })
      : t("Your comment on “{title}” is not sent yet: it will be sent when you're back online", { title });
  }
  if (event === "react") {
    return online
      ? t("Your vote on a comment in “{title}” is not sent yet: sending now…", { title })
      : t("Your vote on a comment in “{title}” is not sent yet: it will be sent when you're back online", {
          title,
        });
  }
  return online
    ? t("Your answer to “{title}” is not sent yet: sending now…", { title })
    : t("Your answer to “{title}” is not sent yet: it will be sent when you're back online", { title });
}

function refusedWords(event, title, reason) {
  if (event === "comment") return t("Not saved: your comment on “{title}”: {reason}", { title, reason });
  if (event === "react") return t("Not saved: your vote on a comment in “{title}”: {reason}", { title, reason });
  return t("Not saved: your answer to “{title}”: {reason}", { title, reason });
}

function showPending() {
  // Before the first sync (app.me) the stage on screen is remembered, maybe no longer the
  // room's: the note lists all that is waiting, as it is the one place sure to be right.
  const current = app.me && app.state && screen && screen.mode === "stage" ? screen.key : null;
  const waiting = pending.all().filter((entry) => entry.stage !== current);
  const elsewhere = refusedAnswers.filter((entry) => entry.stage !== current);
  const lines = waiting.map((entry) =>
    h("p", { class: "pending-waiting" }, waitingWords(entry.event, entry.title)),
  );
  for (const entry of elsewhere) {
    lines.push(
      h("p", { class: "pending-refused" }, refusedWords(entry.event, entry.title, entry.reason)),
    );
  }
  if (elsewhere.length) {
    lines.push(
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: () => {
            for (const entry of elsewhere) dropRefused(entry.stage, entry.event);
            showPending();
          },
        },
        t("OK"),
      ),
    );
  }
  fill(pendingNote, lines);
  pendingNote.hidden = lines.length === 0;
}

function dropRefused(stageKey, event = "answer") {
  const kept = refusedAnswers.filter((entry) => entry.stage !== stageKey || entry.event !== event);
  refusedAnswers.splice(0, refusedAnswers.length, ...kept);
}

/** Send again what a previous page load left unsent (once, after the first sync). */
function resendPending() {
  for (const entry of pending.all()) {
    if (entry.event === "comment") {
      postComment(entry.stage, entry.payload.text, entry.client_id, entry.title);
      continue;
    }
    if (entry.event === "react") {
      react(entry.stage, { id: entry.payload.comment_id }, entry.payload.reaction, entry.client_id, entry.title);
      continue;
    }
    if (sender.sending(entry.client_id)) continue; // already on its way from this page
    submitAnswer(entry.stage, null, {
      value: entry.payload.value,
      clientId: entry.client_id,
      title: entry.title,
    });
  }
}

// Comments and agreement ------------------------------------------------------------

/** The title of stage `stageKey` for the pending note: as on screen, else its key. */
function stageTitle(stageKey) {
  return app.state && app.state.stage.key === stageKey ? app.state.stage.title : stageKey;
}

/** Stage `stageKey`'s comments and reactions not yet acked, for its panel to take up. */
function keptFor(stageKey) {
  const entries = pending.all().filter((entry) => entry.stage === stageKey);
  return {
    comments: entries
      .filter((entry) => entry.event === "comment")
      .map((entry) => ({ text: entry.payload.text, clientId: entry.client_id })),
    reactions: entries
      .filter((entry) => entry.event === "react")
      .map((entry) => ({ commentId: entry.payload.comment_id, reaction: entry.payload.reaction, clientId: entry.client_id })),
  };
}

/** A refusal for good of a comment or reaction: said in the note above the stage unless
 * its stage is on screen (its panel says it there). */
function noteRefused(event, stageKey, title, ack) {
  const onScreen = screen && screen.mode === "stage" && screen.key === stageKey;
  if (ack.ok || ack.retry || onScreen || app.withdrawn) return;
  const reason = ack.error ? t(ack.error) : t("That was not saved.");
  refusedAnswers.push({ event, stage: stageKey, title, reason });
  showPending();
}

function postComment(stageKey, text, id, title = stageTitle(stageKey)) {
  dropRefused(stageKey, "comment"); // a new comment on the stage: the old refusal is done with
  const payload = { stage: stageKey, client_id: id, text };
  const entry = { client_id: id, event: "comment", stage: stageKey, title, payload };
  const delivery = sender.deliver(entry, (ack) => {
    if (ack.ok && ack.comment_id) showOwnComment(stageKey, text, ack.comment_id);
    // A statement counts as its author's vote to agree with it (docs/opinion-groups.md).
    if (ack.ok) ownGroupAfterVote(stageKey);
    // A run shows others' comments on a stage whose comments are its answers (statements,
    // open text) once the person has written one: ask for the stage again.
    if (ack.ok) pace.refresh(stageKey);
    noteRefused("comment", stageKey, title, ack);
    showPending();
  });
  showPending();
  return delivery;
}

function showOwnComment(stageKey, text, commentId) {
  app.own.add(commentId);
  const message = app.comments;
  if (message && message.stage === stageKey && !message.comments.some((c) => c.id === commentId)) {
    // Shown at once; the next push from the server puts it in its place on the wall.
    message.comments = [
      ...message.comments,
      {
        id: commentId,
        text: text.split(/\s+/).join(" "),
        author: (app.me && app.me.display_name) || null,
        agree: 0,
        disagree: 0,
        awaiting: Boolean(app.state && app.state.pace && app.state.pace.approve_comments),
      },
    ];
  }
  updateComments();
  pace.draw(); // an open question answered by this comment: "Skip" becomes "Next"
}

function react(stageKey, comment, reaction, id = clientId(), title = stageTitle(stageKey)) {
  const key = String(comment.id);
  const payload = { comment_id: comment.id, client_id: id, reaction };
  const entry = { client_id: id, event: "react", stage: stageKey, title, payload };
  const delivery = sender.deliver(entry, (ack) => {
    if (ack.ok) countReaction(key, comment.id, reaction, ack);
    if (ack.ok) ownGroupAfterVote(stageKey);
    noteRefused("react", stageKey, title, ack);
    updateComments();
  });
  updateComments(); // the button shows the reaction on its way
  showPending();
  return delivery;
}

function countReaction(key, commentId, reaction, ack) {
  const before = app.reactions[key] || null;
  if (reaction === "none") delete app.reactions[key];
  else app.reactions[key] = reaction;
  const message = app.comments;
  // Count it at once unless the wall already includes it.
  if (message && (message.seq || 0) < ack.seq) {
    const shown = message.comments.find((c) => c.id === commentId);
    if (shown) {
      const counter = (kind) => (kind === "pass" ? "passes" : kind); // statements' "pass"
      if (before) shown[counter(before)] = Math.max(0, (shown[counter(before)] || 0) - 1);
      if (reaction !== "none") shown[counter(reaction)] = (shown[counter(reaction)] || 0) + 1;
    }
  }
}

// Menu, notice and withdrawal -------------------------------------------------------

function setMenu(open) {
  menu.hidden = !open;
  menuButton.setAttribute("aria-expanded", String(open));
}

menuButton.addEventListener("click", () => setMenu(menu.hidden));
// Tabbing out of the open menu closes it: left open, it would cover the control that now
// has the focus (WCAG 2.4.11). Back to the Menu button, it stays open.
menu.addEventListener("focusout", (event) => {
  const next = event.relatedTarget;
  if (!menu.hidden && next && !menu.contains(next) && next !== menuButton) setMenu(false);
});
document.addEventListener("click", (event) => {
  if (!menu.hidden && !menu.contains(event.target) && event.target !== menuButton) setMenu(false);
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !menu.hidden) {
    setMenu(false);
    menuButton.focus();
  }
});

document.getElementById("show-notice").addEventListener("click", () => {
  setMenu(false);
  noticeDialog.showModal();
});

withdrawButton.addEventListener("click", () => {
  setMenu(false);
  withdrawError.hidden = true;
  confirmWithdraw.disabled = false;
  withdrawDialog.showModal();
});

document.getElementById("cancel-withdraw").addEventListener("click", () => withdrawDialog.close());

// The dialogs are opened from the menu, which is closed (hidden) by then: the browser would
// give the focus back to a hidden item, that is to the page. The menu button takes it.
for (const dialog of [noticeDialog, withdrawDialog]) {
  dialog.addEventListener("close", () => {
    if (!app.withdrawn) menuButton.focus();
  });
}

let withdrawing = false;

confirmWithdraw.addEventListener("click", async () => {
  if (withdrawing) return;
  // aria-disabled, not disabled, while the server answers: the focus stays in the dialog.
  withdrawing = true;
  confirmWithdraw.setAttribute("aria-disabled", "true");
  withdrawError.hidden = true;
  const ack = await live.send("withdraw", {});
  withdrawing = false;
  confirmWithdraw.removeAttribute("aria-disabled");
  const already = !ack.ok && /withdrawn/i.test(ack.error || "");
  if (ack.ok || already) {
    app.withdrawn = true;
    pending.clear(); // nothing of theirs is to be sent any more
    offline.forget();
    withdrawDialog.close();
    live.socket.disconnect();
    render();
    focusHeading(); // the page now says they have withdrawn
    return;
  }
  withdrawError.textContent = ack.error ? t(ack.error) : t("That did not work; please try again.");
  withdrawError.hidden = false;
});

/** Give the focus to the page's heading (after what was focused has gone). */
function focusHeading() {
  const heading = view.querySelector("h1");
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

// Offline ---------------------------------------------------------------------------

keepWorkingOffline(body.dataset.workerUrl);

// Reloaded while the network is away (phone-sw.js gave the page): the last stage the server
// sent, and what is still waiting to be sent, shown as waiting, until the server answers.
// Its countdown is left out: a remembered one would count from the wrong moment.
const remembered = offline.lastStage();
if (remembered) {
  inTurn(
    () => remembered,
    () => {
      if (app.state) return; // the server answered first
      app.state = localState(remembered);
      showControls({ ...remembered, timer: null });
      render();
      resent = true; // sent as soon as the connection is back, as if this page had never closed
      resendPending();
    },
  )();
}
