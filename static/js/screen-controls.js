// The projector's share of the facilitator's controls: the screen mode of projectors that
// follow the facilitator, projectors pinned to one stage (?stage=KEY), the stage's
// countdown (large mm:ss) and the paused notice. screen.js calls these hooks.
//
// A pinned projector sends `sync {stage}`; the server then sends it that stage's results
// and comments (docs/protocol.md). Here its state is the room's state with the pinned
// stage in place of the current one, so the rest of screen.js draws it as usual.

import { clockText, countdown, countdownShows } from "./countdown.js";
import { h } from "./live.js";

const pinnedKey = document.body.dataset.stage || null;
const pin = { view: null }; // {stage, index, revealed} from the sync reply
const clock = countdown();

/** What the projector sends with `sync`: its pinned stage, if any. */
export function syncPayload() {
  return pinnedKey ? { stage: pinnedKey } : {};
}

export function isPinned() {
  return Boolean(pinnedKey);
}

/** Remember the pinned stage from a sync reply; returns its {results, comments}. */
export function pinFromSync(reply) {
  if (!pinnedKey || !reply.pinned) return null;
  const { stage, index, revealed, results, comments } = reply.pinned;
  pin.view = { stage, index, revealed };
  return { results, comments };
}

/** A pinned stage's results say whether they are shown: keep that. */
export function notePinnedResults(message) {
  if (pin.view && message && message.stage === pin.view.stage.key) {
    pin.view.revealed = Boolean(message.revealed);
  }
}

/**
 * The state this projector draws: the room's own, or, when pinned, the room's with the
 * pinned stage (its own reveal state; its input open only while it is the room's stage).
 */
export function shownState(state) {
  if (!state || !pin.view) return state;
  const same = state.stage && state.stage.key === pin.view.stage.key;
  return {
    ...state,
    stage: pin.view.stage,
    stage_index: pin.view.index,
    revealed: pin.view.revealed,
    input_open: same && state.input_open,
    timer: same ? state.timer : null,
    slide: same ? state.slide : null, // the room's page, not the pinned stage's
    screen_mode: "auto", // pinned: the stage, whatever the facilitator's screen mode
  };
}

/** The screen mode this projector follows ("auto" when pinned or unknown). */
export function screenMode(state) {
  return (state && state.screen_mode) || "auto";
}

// The countdown: one element, kept across redraws and ticking by itself.
const timerTime = h("span", { class: "screen-timer-time" });
const timerWords = h("span", { class: "screen-timer-words" });
const timerEl = h(
  "p",
  { class: "screen-timer", role: "timer", "aria-label": "Time left", hidden: true },
  timerWords,
  timerTime,
);

let revealed = false; // the drawn stage's results are on screen

function tick() {
  const left = clock.remaining();
  const shows = countdownShows(left, clock.timer, revealed);
  timerEl.hidden = shows === null;
  if (shows === null) return;
  const up = shows === "up";
  timerEl.dataset.state = shows;
  timerTime.textContent = up ? "Time's up" : clockText(left);
  timerWords.textContent = shows === "paused" ? "Paused " : "";
}
setInterval(tick, 250);

/** Keep the countdown in step with the state (call with every state drawn). */
export function updateTimer(state) {
  clock.update(state ? state.timer : null, state && state.server_time);
  revealed = Boolean(state && state.revealed);
  tick();
}

/** The countdown element, for the top bar (the same element on every redraw). */
export function timerBadge() {
  return timerEl;
}

/** A large notice while the workshop is paused, else null. */
export function pausedBanner(state) {
  if (!state || state.status !== "paused") return null;
  return h(
    "div",
    { class: "paused-banner", role: "status" },
    h("strong", {}, "Paused"),
    h("span", {}, "The workshop will continue shortly."),
  );
}

/** "Highlighted" on a comment the facilitator pinned, else null. */
export function highlightMark(comment) {
  return comment && comment.highlighted
    ? h("span", { class: "highlight-mark" }, "★ Highlighted")
    : null;
}
