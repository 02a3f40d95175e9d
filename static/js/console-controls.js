// The console's room controls (templates/facilitator/console.html): the session's
// lifecycle (start a draft, pause, resume), the stage's countdown timer, what the
// projectors show (screen mode) and the projector links (one that follows, one per stage).
// The mode switch and the timer sit beside the stage's controls; the timer is a <details>
// folded until used, and opens by itself when a timer starts. The links live in the stage
// list's column.
//
// Like the rest of the console, a control only sends its event; what is shown comes from
// the `state` the server then broadcasts (docs/protocol.md, "Facilitator controls").

import { clockText, countdown } from "./countdown.js";
import { fill, h } from "./live.js";

const MODES = [
  ["auto", "Auto", "Follows the stage: join screen, question, then results once revealed"],
  ["join", "Join", "The join code and QR code, large"],
  ["question", "Question", "The stage's question, never its results"],
  ["results", "Results", "The revealed results, without the comment wall"],
  ["wall", "Wall", "The stage's comment wall, full screen"],
  ["notes", "Notes", "The notes you chose to show"],
  ["black", "Black", "A black screen until you switch back (key B)"],
];

const STATUS_WORDS = {
  draft: "Draft: not started",
  live: "Session open",
  paused: "Paused",
  ended: "Session ended",
  archived: "Archived",
};

export function setupControls({
  view,
  act,
  lifecycleEl,
  sessionStateEl,
  timerEl,
  screenEl,
  linksEl,
}) {
  const clock = countdown();
  let off = true;
  let stageKey = null; // the stage the duration fields were filled for
  let links = [];
  let hadTimer = false; // whether the last state had a timer: a new one unfolds the panel

  // Lifecycle ----------------------------------------------------------------------------
  const lifecycleButton = h("button", { type: "button", id: "lifecycle-button" });
  const lifecycleNote = h("span", { class: "lifecycle-note visually-hidden" });
  lifecycleButton.addEventListener("click", () => {
    const status = view.state && view.state.status;
    if (status === "draft") act("start_session");
    else if (status === "live") act("pause_session");
    else if (status === "paused") act("resume_session");
  });
  fill(lifecycleEl, lifecycleNote, lifecycleButton);

  // Timer --------------------------------------------------------------------------------
  const display = h("span", { class: "timer-display", id: "timer-display", "aria-live": "off" }, "–:––");
  const timerState = h("span", { class: "timer-state muted", id: "timer-state", role: "status" });
  const minutes = h("input", {
    type: "number", id: "timer-minutes", min: "0", max: "60", step: "1", inputmode: "numeric",
  });
  const seconds = h("input", {
    type: "number", id: "timer-seconds", min: "0", max: "59", step: "5", inputmode: "numeric",
  });
  const autoClose = h("input", { type: "checkbox", id: "timer-auto-close" });
  const suggestion = h("p", { class: "hint muted timer-suggestion" });
  const fieldError = h("p", { class: "error timer-error", id: "timer-error", role: "alert" });
  const start = h("button", { type: "button", id: "timer-start" }, "Start timer");
  const pause = h("button", { type: "button", id: "timer-pause", class: "secondary" }, "Pause");
  const add = h("button", { type: "button", id: "timer-add", class: "secondary" }, "+1 min");
  const stop = h("button", { type: "button", id: "timer-stop", class: "secondary" }, "Stop");

  start.addEventListener("click", () => {
    const total = Number(minutes.value || 0) * 60 + Number(seconds.value || 0);
    if (!Number.isInteger(total) || total < 10 || total > 3600) {
      fieldError.textContent = "A timer runs for 10 seconds to 60 minutes.";
      minutes.setAttribute("aria-invalid", "true");
      return;
    }
    fieldError.textContent = "";
    minutes.removeAttribute("aria-invalid");
    act("timer_start", { seconds: total, auto_close: autoClose.checked && !autoClose.disabled });
  });
  pause.addEventListener("click", () => {
    const timer = clock.timer;
    act(timer && timer.running ? "timer_pause" : "timer_resume");
  });
  add.addEventListener("click", () => act("timer_add", { seconds: 60 }));
  stop.addEventListener("click", () => act("timer_stop"));

  fill(
    timerEl,
    h(
      "summary",
      { class: "timer-head" },
      h("span", { class: "timer-title", id: "timer-heading" }, "Timer"),
      display,
      timerState,
    ),
    h(
      "div",
      { class: "timer-form" },
      h(
        "div",
        { class: "timer-duration", role: "group", "aria-labelledby": "timer-duration-label" },
        h("span", { id: "timer-duration-label", class: "timer-label" }, "Duration"),
        h("label", { for: "timer-minutes", class: "visually-hidden" }, "Minutes"),
        minutes,
        h("span", { "aria-hidden": "true" }, "min"),
        h("label", { for: "timer-seconds", class: "visually-hidden" }, "Seconds"),
        seconds,
        h("span", { "aria-hidden": "true" }, "s"),
      ),
      h(
        "label",
        { class: "check timer-check", for: "timer-auto-close" },
        autoClose,
        " Close input at zero",
      ),
      h("div", { class: "timer-buttons" }, start, pause, add, stop),
    ),
    suggestion,
    fieldError,
  );

  // Screen mode and projector links ----------------------------------------------------
  const modeButtons = MODES.map(([mode, label, hint]) =>
    h(
      "button",
      {
        type: "button",
        class: "mode-button",
        title: hint,
        dataset: { mode },
        "aria-pressed": "false",
        onclick: () => act("set_screen_mode", { mode }),
      },
      label,
    ),
  );
  // What the chosen mode does: said after the group's name; each button's title says it too.
  const modeHint = h("span", { class: "visually-hidden", id: "screen-mode-hint" });
  const linkList = h("ul", { class: "projector-links", id: "projector-links" });
  fill(
    screenEl,
    h("span", { class: "screen-mode-label", id: "screen-mode-label" }, "Projector shows"),
    h(
      "div",
      {
        class: "mode-switch",
        role: "group",
        "aria-labelledby": "screen-mode-label",
        "aria-describedby": "screen-mode-hint",
      },
      modeButtons,
    ),
    modeHint,
  );
  fill(
    linksEl,
    h("h2", { class: "pane-heading" }, "Projectors"),
    h(
      "details",
      { class: "links-details" },
      h("summary", {}, "Projector links"),
      h(
        "p",
        { class: "hint muted" },
        "Open a link on each projector's laptop. A pinned projector keeps one stage up " +
          "(its question, comments and, once revealed, its results) while the room moves on.",
      ),
      linkList,
    ),
  );

  function renderLinks() {
    fill(
      linkList,
      links.map((link) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: link.url, target: "_blank", rel: "noopener", dataset: { stage: link.stage || "" } },
            link.stage ? `Pinned: ${link.title}` : "Follows you",
          ),
          h(
            "button",
            {
              type: "button",
              class: "secondary small copy-link",
              onclick: async (event) => {
                const button = event.currentTarget;
                try {
                  await navigator.clipboard.writeText(link.url);
                  button.textContent = "Copied";
                } catch {
                  window.prompt("Copy this projector link:", link.url);
                }
                setTimeout(() => {
                  button.textContent = "Copy";
                }, 2000);
              },
            },
            "Copy",
            h("span", { class: "visually-hidden" }, ` link: ${link.title}`),
          ),
        ),
      ),
    );
  }

  // Rendering ----------------------------------------------------------------------------
  function tick() {
    const left = clock.remaining();
    const timer = clock.timer;
    display.textContent = left === null ? "–:––" : clockText(left);
    // With no timer the dashes say it; the words stay for screen readers.
    timerState.classList.toggle("visually-hidden", !timer);
    display.dataset.state = !timer ? "none" : left === 0 ? "up" : timer.running ? "running" : "paused";
    if (!timer) timerState.textContent = "No timer on this stage";
    else if (timer.running && left === 0) timerState.textContent = "Time's up";
    else if (timer.running) timerState.textContent = timer.auto_close ? "Running · input closes at zero" : "Running";
    else timerState.textContent = "Paused";
  }

  function fillDuration(stage, timer) {
    if (stageKey === stage.key) return;
    // A new stage folds the timer away again, unless a timer runs on it.
    if (stageKey !== null) timerEl.open = Boolean(timer);
    stageKey = stage.key;
    const suggested = stage.timer || 120;
    minutes.value = String(Math.floor(suggested / 60));
    seconds.value = String(suggested % 60);
    suggestion.textContent = stage.timer
      ? `The plan suggests ${clockText(stage.timer * 1000)} for this stage.`
      : "";
    fieldError.textContent = "";
  }

  function render() {
    const state = view.state;
    if (!state) return;
    const status = state.status;
    const over = status === "ended" || status === "archived";
    // Lifecycle
    sessionStateEl.textContent = STATUS_WORDS[status] || status;
    sessionStateEl.dataset.status = status;
    document.body.dataset.status = status;
    lifecycleEl.hidden = over;
    lifecycleButton.textContent =
      status === "draft" ? "Start session" : status === "paused" ? "Resume" : "Pause";
    lifecycleButton.className = status === "live" ? "secondary" : "";
    // Said to screen readers; the session badge beside it says it to the eye.
    lifecycleNote.textContent =
      status === "draft"
        ? "Phones cannot join yet."
        : status === "paused"
          ? "Phones cannot answer or comment until you resume."
          : "";
    // Timer
    const stage = state.stage;
    clock.update(state.timer, state.server_time);
    fillDuration(stage, state.timer);
    const takesInput = Boolean(stage.answerable || stage.comments);
    autoClose.disabled = off || !takesInput;
    if (!takesInput) autoClose.checked = false;
    const timer = state.timer;
    if (timer && !hadTimer) timerEl.open = true;
    hadTimer = Boolean(timer);
    start.textContent = timer ? "Restart" : "Start timer";
    pause.textContent = timer && !timer.running ? "Resume" : "Pause";
    start.disabled = off || over;
    minutes.disabled = seconds.disabled = off || over;
    pause.disabled = off || over || !timer || (timer.running && clock.remaining() === 0);
    add.disabled = off || over || !timer;
    stop.disabled = off || over || !timer;
    timerEl.dataset.paused = status === "paused" ? "yes" : "no";
    tick();
    // Screen mode
    const mode = state.screen_mode || "auto";
    for (const button of modeButtons) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
      button.disabled = off || over;
    }
    modeHint.textContent = (MODES.find(([m]) => m === mode) || MODES[0])[2];
  }

  setInterval(tick, 250);

  return {
    sync(reply) {
      links = reply.screen_links || [];
      renderLinks();
      render();
    },
    links(screenLinks) {
      // New links, after the old ones were revoked (console-links.js).
      links = screenLinks || [];
      renderLinks();
    },
    render,
    controls(isOff) {
      off = isOff;
      lifecycleButton.disabled = isOff;
      render();
    },
  };
}
