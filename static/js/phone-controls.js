// What the facilitator's controls look like on a phone: the stage's countdown (a bar
// and the time left, "Time's up" at zero) and a notice while the workshop is paused.
// Drawn into #phone-controls, above the stage, which phone.js never redraws.

import { clockText, countdown, countdownShows } from "./countdown.js";
import { h } from "./live.js";
import { t } from "./phone-text.js";

const slot = document.getElementById("phone-controls");
const clock = countdown();
let total = 0; // the countdown's full length in ms, for the bar (the longest seen)
let timerKey = null; // which countdown the bar is measuring
let revealed = false; // the stage's results are out: "Time's up" is old news, as on the projector

const paused = h(
  "div",
  { class: "paused-notice", role: "status", hidden: true },
  h("strong", {}, t("The facilitator has paused the workshop.")),
  " ",
  h("span", {}, t("Your answers are kept; you can carry on when it resumes.")),
);
const bar = h("span", { class: "countdown-fill" });
const time = h("span", { class: "countdown-time" });
const words = h("span", { class: "countdown-words" });
const timerBox = h(
  "div",
  { class: "countdown", role: "timer", "aria-label": t("Time left"), hidden: true },
  h("div", { class: "countdown-text" }, words, time),
  h("div", { class: "countdown-bar", "aria-hidden": "true" }, bar),
);
if (slot) slot.append(paused, timerBox);

function tick() {
  const left = clock.remaining();
  const shows = countdownShows(left, clock.timer, revealed);
  timerBox.hidden = shows === null;
  if (shows === null) return;
  total = Math.max(total, left);
  const up = shows === "up";
  timerBox.dataset.state = shows;
  time.textContent = up ? "" : clockText(left);
  words.textContent = up ? t("Time's up") : shows === "running" ? t("Time left") : t("Timer paused");
  bar.style.width = `${total ? Math.min(100, (100 * left) / total) : 0}%`;
}

/** Show the state's timer and pause notice (call on every sync and state). */
export function showControls(state) {
  if (!slot || !state) return;
  const timer = state.timer;
  // The bar measures against the longest time left seen for this stage's countdown.
  const key = timer ? state.stage.key : null;
  if (key !== timerKey) total = 0;
  timerKey = key;
  clock.update(timer, state.server_time);
  revealed = Boolean(state.revealed);
  paused.hidden = state.status !== "paused";
  tick();
}

setInterval(tick, 250);
