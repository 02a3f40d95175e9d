// A self-paced run on the phone (body[data-pace="self"]): the Back / Next bar at the
// bottom with the person's progress, the thank-you after the last stage, the personal
// resume link's dialog, and the note after joining that says how to carry on elsewhere.
//
// Nobody pushes a run's stages to its phones: Next and Back emit `pace` {index}, and its
// ack is drawn exactly like a sync reply; after an answer is saved, `pace` to the same
// stage asks for the stage's results (docs/protocol.md). phone.js owns the stage view;
// this module only says where the person is and moves them.

import { h, fill } from "./live.js";
import { t } from "./phone-text.js";

export const paced = document.body.dataset.pace === "self";
const REFRESH_AFTER_MS = 600; // after the last of several quick answers

const bar = document.getElementById("pace-bar");
const resumeDialog = document.getElementById("resume-dialog");
const resumeButton = document.getElementById("show-resume");

/**
 * pacer({send, show, current, focusHeading, announce, render, withdraw}):
 * - send(event, payload): a promise of the ack (live.send);
 * - show(reply): draws a sync-shaped reply (phone.js onSync), a promise of it drawn;
 * - current(): {state, mode, unanswered} — the latest state, what is on screen, and whether
 *   the stage on screen asks something not answered yet;
 * - render(): phone.js draws again (after Finish, or Back from the thank-you);
 * - focusHeading(), announce(words): after a move, as for a new stage.
 */
export function pacer(options) {
  const pace = {
    finished: false, // the thank-you after the last stage is on screen
    draw,
    refresh,
    reload,
    thanks,
  };
  if (!paced || !bar) return { ...pace, draw() {}, refresh() {}, reload() {} };

  let moving = false; // a `pace` is on its way: one at a time
  let stale = false; // an answer was saved while it was: its reply may predate the answer
  let refreshing = null; // the timer of a refresh after answers (refresh)
  const back = h("button", { type: "button", class: "secondary pace-back", onclick: () => move(-1) }, t("Back"));
  const next = h("button", { type: "button", class: "pace-next", onclick: () => move(1) });
  const progress = h("p", { class: "pace-progress" });
  const fillBar = h("span", { class: "pace-fill" });
  const track = h("span", { class: "pace-track", "aria-hidden": "true" }, fillBar);
  const problem = h("p", { class: "pace-problem error-text", role: "alert", hidden: true });
  fill(bar, track, h("div", { class: "pace-row" }, back, progress, next), problem);

  function where() {
    const { state } = options.current();
    return state && state.pace ? state.pace : null;
  }

  // The bar shows on a stage and on the thank-you; the end screens (closed, withdrawn,
  // refused) have no questions to move between.
  function draw() {
    const { state, mode, unanswered } = options.current();
    const at = where();
    bar.hidden = !at || !["stage", "finished"].includes(mode) || !state || state.status === "ended";
    if (bar.hidden) return;
    const number = Math.min(at.index + 1, at.count);
    const last = at.index >= at.count - 1;
    progress.textContent = pace.finished ? t("Finished") : t("{number} of {count}", { number, count: at.count });
    fillBar.style.width = `${pace.finished ? 100 : Math.round((100 * number) / at.count)}%`;
    back.disabled = !pace.finished && at.index === 0;
    next.hidden = pace.finished;
    next.textContent = last ? t("Finish") : unanswered ? t("Skip") : t("Next");
    for (const button of [back, next]) {
      if (moving) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  }

  async function move(step) {
    const at = where();
    if (!at || moving) return;
    problem.hidden = true;
    if (pace.finished) {
      // Back from the thank-you: the last stage again, as it was.
      pace.finished = false;
      options.render();
      options.focusHeading();
      return;
    }
    if (step > 0 && at.index >= at.count - 1) {
      pace.finished = true;
      options.render();
      options.focusHeading();
      options.announce(t("Finished"));
      return;
    }
    const ok = await go(at.index + step);
    if (!ok) return;
    options.focusHeading(); // the new stage's title: where a screen reader starts reading
    const now = where();
    if (now) options.announce(t("{number} of {count}", { number: now.index + 1, count: now.count }));
  }

  /** Ask for stage `index` (the one on screen: only refresh it) and draw the ack. */
  async function go(index) {
    moving = true;
    draw();
    let ack;
    try {
      ack = await options.send("pace", { index });
      // Back and Next wait for the stage to be drawn: its type's modules may be loading.
      if (ack && ack.ok) await options.show(ack);
    } finally {
      moving = false;
    }
    if (ack && ack.ok) {
      draw();
      if (stale) {
        stale = false;
        refresh(options.current().state.stage.key);
      }
      return true;
    }
    problem.textContent = ack && ack.error ? t(ack.error) : t("That did not work; please try again.");
    problem.hidden = false;
    draw();
    return false;
  }

  /** An answer to the stage on screen was saved: ask again for it, with its results.
   * Answers in quick succession (a rating's statements, tapped one after another) make
   * one request: each counts against the person's rate limit like an answer. */
  function refresh(stageKey) {
    clearTimeout(refreshing);
    refreshing = setTimeout(() => {
      const { state } = options.current();
      if (!state || !state.pace || state.stage.key !== stageKey) return;
      if (moving) stale = true;
      else go(state.pace.index);
    }, REFRESH_AFTER_MS);
  }

  /** Ask again, now, for what the person sees: the run was closed, extended or refused
   * something, so the state on screen may be out of date. */
  function reload() {
    const { state } = options.current();
    if (!state || !state.pace) return;
    if (moving) stale = true;
    else go(state.pace.index);
  }

  /** The thank-you after Finish: what the person can still do. */
  function thanks() {
    return h(
      "section",
      { class: "card end-card pace-thanks" },
      h("h1", {}, t("Thank you: your answers are saved.")),
      h("p", {}, t("You can go back to change an answer until the consultation closes.")),
      resumeButton
        ? h("button", { type: "button", class: "secondary wide", onclick: () => openResume() }, t("Continue on another device"))
        : null,
      h("button", { type: "button", class: "secondary wide danger-text", onclick: () => options.withdraw() }, t("Withdraw")),
    );
  }

  return pace;
}

// The resume link's dialog ------------------------------------------------------------

let opener = null; // what had the focus before the dialog opened: it gets it back

function openResume() {
  if (!resumeDialog) return;
  opener = document.activeElement;
  resumeDialog.showModal();
}

if (resumeDialog) {
  const link = document.getElementById("resume-url");
  const done = document.getElementById("copy-done");
  resumeButton.addEventListener("click", () => {
    document.getElementById("menu").hidden = true;
    document.getElementById("menu-button").setAttribute("aria-expanded", "false");
    openResume();
    opener = document.getElementById("menu-button"); // the menu item is hidden now
  });
  document.getElementById("copy-resume").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.value);
    } catch {
      // No clipboard (plain http, an old browser): selected, for the person to copy.
      link.select();
      done.textContent = t("Selected: copy it with your phone's menu.");
      return;
    }
    done.textContent = t("Copied ✓");
  });
  link.addEventListener("focus", () => link.select());
  resumeDialog.addEventListener("close", () => {
    done.textContent = "";
    if (opener && opener.isConnected) opener.focus();
  });
}

// Said once after joining (on the page that answers the join form; a reload asks for
// /p/CODE, phone-address.js, which does not say it again): the personal link exists, and
// anyone holding it can change the answers.
const justJoined = paced && document.body.dataset.justJoined === "1";
if (justJoined) {
  const note = h(
    "section",
    { class: "notice-box pace-joined", "aria-labelledby": "pace-joined-title" },
    h("h2", { id: "pace-joined-title" }, t("You can continue on another device")),
    h(
      "p",
      {},
      t("Your menu has a personal link to carry on elsewhere. Keep it to yourself: anyone with it can see and change your answers."),
    ),
  );
  const dismiss = () => note.remove();
  note.append(
    h(
      "div",
      { class: "pace-joined-actions" },
      h("button", { type: "button", class: "secondary", onclick: () => openResume() }, t("Show my link")),
      h("button", { type: "button", class: "secondary", onclick: dismiss }, t("OK")),
    ),
  );
  document.getElementById("stage-view").before(note);
}
