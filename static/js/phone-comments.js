// Comments on a phone: a box to write one, and the wall of the room's comments with
// Agree / Disagree toggles. Every comment's text is set as text (h()), never as HTML.
//
// commentsPanel(stage, ctx, {label}) returns {element, update({open, comments, own,
// reactions})}; `label` names the box (an open text stage's comments are its answers).
//   ctx.post(text, clientId) -> Promise<ack>   (the caller keeps it until acked and records
//     the new comment; asked again for the same clientId, it gives the same promise)
//   ctx.react(comment, reaction, clientId?) -> Promise<ack>   reaction: "agree" | "disagree" | "none"
//   ctx.draft / ctx.keepDraft(text): the unsent text, kept when the stage is redrawn.
//   ctx.kept() -> {comments: [{text, clientId}], reactions: [{commentId, reaction, clientId}]}:
//     this stage's unacknowledged ones (from before a reload, or before the stage was
//     redrawn), taken up again as if just sent from here.
//   ctx.online() and ctx.waiting(clientId) (the server's "not now" reason, or null) word
//     the status of a comment on its way.
//   ctx.pace: a self-paced run's state.pace, or null in a workshop (who reads a comment).
//
// composer, reactions, reactionState and keepingFocus are shared with the statements panel
// (activities/inputs/statements.js), which posts and votes the same way.
//
// A pressed button never loses the focus to the page (WCAG 2.4.3): while what it sent is on
// its way it is only aria-disabled (a second press is ignored), since a disabled button
// drops the focus and the next Tab would start again from the top.

import { clientId, h } from "./live.js";
import { t } from "./phone-text.js";

// Why something on its way (a post or a reaction, by client id) has not gone yet, in
// words, or null while it is simply being sent.
function notSentYet(ctx, id) {
  const reason = ctx.waiting ? ctx.waiting(id) : null;
  if (reason !== null) return t("Not sent yet: {reason}", { reason: t(reason) });
  if (ctx.online && !ctx.online()) return t("Not sent yet: will send when you're back online");
  return null;
}

/** Turn BUTTON off; the one holding the focus only says so (aria-disabled) and keeps it. */
export function switchOff(button, off) {
  const holdsFocus = off && button === document.activeElement;
  button.disabled = off && !holdsFocus;
  if (off && holdsFocus) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

/** A reaction button's attributes for h(): off while input is closed; only aria-disabled
 * while its comment's reaction is on its way, so a redraw can give the focus back to it. */
export const reactionState = (open, waiting) => ({
  disabled: !open,
  "aria-disabled": open && waiting ? "true" : null,
});

// The box to write a comment or a statement under its label and hint, with its character
// count, status line and button. words: {button, posting, posted, notSaved}; hinted: the
// hint (given the id `${id}-hint`) describes the box. Returns {element, refresh(open)}.
export function composer(ctx, { id, name, max, label, hint, hinted = false, words }) {
  let open = false;
  let posting = null; // {text, clientId}: the post on its way
  let failed = null; // {text, clientId}: a post that failed, retried with the same id

  const textarea = h("textarea", {
    id,
    name,
    rows: 3,
    maxlength: max,
    "aria-describedby": `${hinted ? `${id}-hint ` : ""}${id}-count ${id}-status`,
  });
  textarea.value = ctx.draft || "";
  const counter = h("span", { class: "char-count", id: `${id}-count` });
  const status = h("p", { class: "post-status", id: `${id}-status`, role: "status" });
  const button = h("button", { type: "button", class: "post" }, words.button);

  const setStatus = (state, text) => {
    if (status.dataset.state === state && status.textContent === text) return; // no re-announcing
    status.dataset.state = state;
    status.textContent = text;
  };

  // A post on its way says whether it is going now or waiting, and why, in words.
  const showPosting = () => {
    const waiting = notSentYet(ctx, posting.clientId);
    if (waiting) setStatus("waiting", waiting);
    else setStatus("saving", words.posting);
  };

  const refresh = () => {
    const length = textarea.value.length;
    counter.textContent = `${length} / ${max}`;
    counter.classList.toggle("near-limit", length >= max * 0.9);
    textarea.disabled = !open;
    // Posted from the keyboard, Post keeps the focus while its text is sent and cleared.
    switchOff(button, !open || !!posting || textarea.value.trim() === "");
    if (posting) showPosting();
  };

  textarea.addEventListener("input", () => {
    ctx.keepDraft(textarea.value);
    if (!posting) setStatus("", "");
    refresh();
  });

  const post = async (submission) => {
    posting = submission;
    refresh();
    const ack = await ctx.post(submission.text, submission.clientId);
    posting = null;
    if (ack.ok) {
      failed = null;
      if (textarea.value.trim() === submission.text) {
        textarea.value = "";
        ctx.keepDraft("");
      }
      setStatus("saved", words.posted);
    } else {
      failed = submission;
      setStatus("error", ack.error ? t(ack.error) : words.notSaved);
    }
    refresh();
  };

  button.addEventListener("click", () => {
    const text = textarea.value.trim();
    if (!text || posting || button.getAttribute("aria-disabled") === "true") return;
    // The same words after a failure are the same submission: reuse its id.
    post(failed && failed.text === text ? failed : { text, clientId: clientId() });
  });

  // A comment kept from before the reload (or before the stage was drawn again) is on its
  // way as if just posted from here: its words back in the box, its status under it.
  const [kept] = ctx.kept ? ctx.kept().comments : [];
  if (kept) {
    if (!textarea.value.trim()) {
      textarea.value = kept.text;
      ctx.keepDraft(kept.text);
    }
    queueMicrotask(() => post(kept));
  }

  const element = h(
    "div",
    { class: "composer" },
    h("label", { for: id }, label),
    h("p", { class: "hint", id: hinted ? `${id}-hint` : null }, hint),
    textarea,
    h("div", { class: "composer-foot" }, counter, button),
    status,
  );
  return {
    element,
    refresh(isOpen) {
      open = isOpen;
      refresh();
    },
  };
}

// Agree / disagree (or vote) on a comment, one reaction at a time per comment; the last
// error for a comment shows under it, and so does, while it waits, why a reaction has not
// gone yet (note(commentId)). redraw() draws the list again. Reactions kept from before a
// reload are taken up again once the panel is drawn.
// Returns {busy, errors, note(commentId), send(comment, next)}.
export function reactions(ctx, redraw, notSaved) {
  const busy = new Map(); // comment id -> the client id of its reaction on its way
  const errors = {}; // comment id -> the last error for that comment
  const note = (commentId) => {
    const waiting = busy.has(commentId) ? notSentYet(ctx, busy.get(commentId)) : null;
    return waiting ? h("p", { class: "waiting react-status" }, waiting) : null;
  };
  const send = async (comment, next, id = clientId()) => {
    if (busy.has(comment.id)) return;
    busy.set(comment.id, id);
    delete errors[comment.id];
    redraw();
    const ack = await ctx.react(comment, next, id);
    busy.delete(comment.id);
    if (!ack.ok) errors[comment.id] = ack.error ? t(ack.error) : notSaved;
    redraw();
  };
  // After the caller has finished building its panel (redraw needs it).
  queueMicrotask(() => {
    for (const kept of ctx.kept ? ctx.kept().reactions : []) {
      send({ id: kept.commentId }, kept.reaction, kept.clientId);
    }
  });
  return { busy, errors, note, send };
}

// A push from the server redraws a list of comments; keep the focus on the same button.
export function keepingFocus(list, draw) {
  const focused = document.activeElement;
  const keep =
    focused && list.contains(focused) && focused.dataset.comment
      ? { comment: focused.dataset.comment, reaction: focused.dataset.reaction }
      : null;
  draw();
  if (keep) {
    const again = list.querySelector(
      `[data-comment="${CSS.escape(keep.comment)}"][data-reaction="${CSS.escape(keep.reaction)}"]`,
    );
    if (again) again.focus();
  }
}

// Who reads a comment: the room and its screen in a workshop; in a self-paced run (ctx.pace,
// the run's state.pace) the others taking part, after approval when the run moderates first.
function commentHint(pace) {
  if (!pace) return t("Keep it short. Others can agree or disagree with it; it shows on the screen at the front.");
  return pace.approve_comments
    ? t("Keep it short. Once approved, others taking part can agree or disagree with it.")
    : t("Keep it short. Others taking part can agree or disagree with it.");
}

function wallTitle(pace, count) {
  if (pace) {
    return count
      ? t("Comments from people taking part ({n})", { n: count })
      : t("Comments from people taking part");
  }
  return count ? t("Comments from the room ({n})", { n: count }) : t("Comments from the room");
}

export function commentsPanel(stage, ctx, { label = t("Add a comment") } = {}) {
  const max = stage.max_length || 280;
  const textareaId = `comment-${stage.key}`;
  let data = { open: false, comments: [], own: new Set(), reactions: {} };
  const box = composer(ctx, {
    id: textareaId,
    name: "comment",
    max,
    label,
    hint: commentHint(ctx.pace),
    words: {
      button: t("Post"),
      posting: t("Posting…"),
      posted: t("Posted ✓"),
      notSaved: t("Your comment was not saved."),
    },
  });
  const wallHeading = h("h3", { class: "wall-heading" });
  const wall = h("ul", { class: "wall" });
  const { busy, errors, note, send: react } = reactions(ctx, () => drawWall(), t("That was not saved."));

  const commentItem = (comment) => {
    const mine = data.own.has(comment.id);
    const reaction = data.reactions[String(comment.id)] || null;
    const counts = t("{agree} agree · {disagree} disagree", { agree: comment.agree, disagree: comment.disagree });
    const toggle = (kind, word) =>
      h(
        "button",
        {
          type: "button",
          class: `secondary react react-${kind}`,
          "aria-pressed": reaction === kind ? "true" : "false",
          ...reactionState(data.open, busy.has(comment.id)),
          dataset: { comment: String(comment.id), reaction: kind },
          onclick: () => react(comment, reaction === kind ? "none" : kind),
        },
        h("span", { class: "react-word" }, word),
        h("span", { class: "react-count" }, String(comment[kind])),
      );
    return h(
      "li",
      {
        class: `comment${mine ? " own" : ""}${comment.highlighted ? " highlighted" : ""}`,
        dataset: { id: String(comment.id) },
      },
      comment.highlighted ? h("p", { class: "highlight-mark" }, t("Highlighted by the facilitator")) : null,
      h("p", { class: "comment-text" }, comment.text),
      h(
        "p",
        { class: "comment-meta" },
        mine ? h("span", { class: "own-badge" }, t("Your comment")) : null,
        // A self-paced run that moderates first: only its author sees it until approved.
        comment.awaiting ? h("span", { class: "awaiting-badge" }, t("Waiting for approval")) : null,
        h("span", { class: "comment-author" }, comment.author || t("Anonymous")),
      ),
      mine
        ? h("p", { class: "comment-counts" }, counts)
        : h(
            "div",
            { class: "reactions", role: "group", "aria-label": t("Your view of this comment ({counts})", { counts }) },
            toggle("agree", t("Agree")),
            toggle("disagree", t("Disagree")),
          ),
      errors[comment.id] ? h("p", { class: "error-text" }, errors[comment.id]) : null,
      note(comment.id),
    );
  };

  const drawWall = () =>
    keepingFocus(wall, () => {
      const comments = data.comments || [];
      wallHeading.textContent = wallTitle(ctx.pace, comments.length);
      wall.replaceChildren(
        ...(comments.length
          ? comments.map(commentItem)
          : [h("li", { class: "wall-empty" }, t("No comments yet."))]),
      );
    });

  const element = h(
    "section",
    { class: "comments", "aria-labelledby": `${textareaId}-heading` },
    h("h2", { id: `${textareaId}-heading` }, t("Comments")),
    box.element,
    wallHeading,
    wall,
  );
  box.refresh(data.open);
  drawWall();

  return {
    element,
    update(next) {
      data = { ...data, ...next };
      box.refresh(data.open);
      drawWall();
    },
  };
}
