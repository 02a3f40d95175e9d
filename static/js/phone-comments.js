// Comments on a phone: a box to write one, and the wall of the room's comments with
// Agree / Disagree toggles. Every comment's text is set as text (h()), never as HTML.
//
// commentsPanel(stage, ctx) returns {element, update({open, comments, own, reactions})}.
//   ctx.post(text, clientId) -> Promise<ack>   (the caller records the new comment)
//   ctx.react(comment, reaction) -> Promise<ack>   reaction: "agree" | "disagree" | "none"
//   ctx.draft / ctx.keepDraft(text): the unsent text, kept when the stage is redrawn.

import { clientId, h } from "./live.js";

export function commentsPanel(stage, ctx) {
  const max = stage.max_length || 280;
  const textareaId = `comment-${stage.key}`;
  let data = { open: false, comments: [], own: new Set(), reactions: {} };
  let posting = false;
  let failed = null; // {text, clientId}: a post that failed, retried with the same id
  const busy = new Set(); // comment ids with a reaction on its way
  const errors = {}; // comment id -> the last error for that comment

  const textarea = h("textarea", {
    id: textareaId,
    name: "comment",
    rows: 3,
    maxlength: max,
    "aria-describedby": `${textareaId}-count ${textareaId}-status`,
  });
  textarea.value = ctx.draft || "";
  const counter = h("span", { class: "char-count", id: `${textareaId}-count` });
  const status = h("p", { class: "post-status", id: `${textareaId}-status`, role: "status" });
  const postButton = h("button", { type: "button", class: "post" }, "Post");
  const wallHeading = h("h3", { class: "wall-heading" });
  const wall = h("ul", { class: "wall" });

  const refreshComposer = () => {
    const length = textarea.value.length;
    counter.textContent = `${length} / ${max}`;
    counter.classList.toggle("near-limit", length >= max * 0.9);
    textarea.disabled = !data.open;
    postButton.disabled = !data.open || posting || textarea.value.trim() === "";
  };

  textarea.addEventListener("input", () => {
    ctx.keepDraft(textarea.value);
    if (status.dataset.state !== "saving") setStatus("", "");
    refreshComposer();
  });

  const setStatus = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };

  postButton.addEventListener("click", async () => {
    const text = textarea.value.trim();
    if (!text || posting) return;
    // The same words after a failure are the same submission: reuse its id.
    const submission = failed && failed.text === text ? failed : { text, clientId: clientId() };
    posting = true;
    setStatus("saving", "Posting…");
    refreshComposer();
    const ack = await ctx.post(submission.text, submission.clientId);
    posting = false;
    if (ack.ok) {
      failed = null;
      if (textarea.value.trim() === submission.text) {
        textarea.value = "";
        ctx.keepDraft("");
      }
      setStatus("saved", "Posted ✓");
    } else {
      failed = submission;
      setStatus("error", ack.error || "Your comment was not saved.");
    }
    refreshComposer();
  });

  const react = async (comment, next) => {
    if (busy.has(comment.id)) return;
    busy.add(comment.id);
    delete errors[comment.id];
    drawWall();
    const ack = await ctx.react(comment, next);
    busy.delete(comment.id);
    if (!ack.ok) errors[comment.id] = ack.error || "That was not saved.";
    drawWall();
  };

  const commentItem = (comment) => {
    const mine = data.own.has(comment.id);
    const reaction = data.reactions[String(comment.id)] || null;
    const counts = `${comment.agree} agree · ${comment.disagree} disagree`;
    const toggle = (kind, word) =>
      h(
        "button",
        {
          type: "button",
          class: `secondary react react-${kind}`,
          "aria-pressed": reaction === kind ? "true" : "false",
          disabled: !data.open || busy.has(comment.id),
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
      comment.highlighted ? h("p", { class: "highlight-mark" }, "Highlighted by the facilitator") : null,
      h("p", { class: "comment-text" }, comment.text),
      h(
        "p",
        { class: "comment-meta" },
        mine ? h("span", { class: "own-badge" }, "Your comment") : null,
        h("span", { class: "comment-author" }, comment.author || "Anonymous"),
      ),
      mine
        ? h("p", { class: "comment-counts" }, counts)
        : h(
            "div",
            { class: "reactions", role: "group", "aria-label": `Your view of this comment (${counts})` },
            toggle("agree", "Agree"),
            toggle("disagree", "Disagree"),
          ),
      errors[comment.id] ? h("p", { class: "error-text" }, errors[comment.id]) : null,
    );
  };

  const drawWall = () => {
    // A push from the server redraws the wall; keep the focus on the same button.
    const focused = document.activeElement;
    const keep =
      focused && wall.contains(focused) && focused.dataset.comment
        ? { comment: focused.dataset.comment, reaction: focused.dataset.reaction }
        : null;
    const comments = data.comments || [];
    wallHeading.textContent = comments.length
      ? `Comments from the room (${comments.length})`
      : "Comments from the room";
    wall.replaceChildren(
      ...(comments.length
        ? comments.map(commentItem)
        : [h("li", { class: "wall-empty" }, "No comments yet.")]),
    );
    if (keep) {
      const again = wall.querySelector(
        `[data-comment="${CSS.escape(keep.comment)}"][data-reaction="${CSS.escape(keep.reaction)}"]`,
      );
      if (again) again.focus();
    }
  };

  const element = h(
    "section",
    { class: "comments", "aria-labelledby": `${textareaId}-heading` },
    h("h2", { id: `${textareaId}-heading` }, "Comments"),
    h(
      "div",
      { class: "composer" },
      h("label", { for: textareaId }, stage.type === "open_text" ? "Your answer" : "Add a comment"),
      h(
        "p",
        { class: "hint" },
        "Keep it short. Others can agree or disagree with it; it shows on the screen at the front.",
      ),
      textarea,
      h("div", { class: "composer-foot" }, counter, postButton),
      status,
    ),
    wallHeading,
    wall,
  );
  refreshComposer();
  drawWall();

  return {
    element,
    update(next) {
      data = { ...data, ...next };
      refreshComposer();
      drawWall();
    },
  };
}
