// The console's comments panel: every comment of the current stage, hidden ones too
// (dimmed and labelled), with Hide / Restore. Participant text goes in as text nodes only.

import { fill, h } from "./live.js";
import { resultFor } from "./activities/results.js";

function authorOf(comment) {
  if (comment.author) return h("span", { class: "comment-author" }, comment.author);
  return h(
    "span",
    { class: "comment-author pseudonym", title: "No name given: this is their pseudonym" },
    comment.pseudonym || "Anonymous",
  );
}

/**
 * Render `message.comments` into `list` for `stage`; `moderate(event, commentId)` sends
 * hide_comment / restore_comment. Returns the heading's count text.
 */
export function renderComments(list, stage, message, { moderate, disabled }) {
  if (!stage) {
    fill(list);
    return "";
  }
  const comments = (message && message.stage === stage.key && message.comments) || [];
  if (!comments.length) {
    const words = stage.comments
      ? "No comments yet. They appear here as participants write them."
      : "This stage does not take comments.";
    fill(list, h("p", { class: "muted empty-comments" }, words));
    return "";
  }
  const hiddenCount = comments.filter((c) => c.hidden).length;
  fill(
    list,
    h(
      "ol",
      { class: "comment-list" },
      comments.map((comment) =>
        h(
          "li",
          {
            class: commentClass(comment),
            dataset: { commentId: String(comment.id) },
          },
          comment.hidden ? h("p", { class: "hidden-label" }, "Hidden from the room") : null,
          comment.highlighted && !comment.hidden
            ? h("p", { class: "highlight-label", title: "Pinned first on the projector" }, "Highlighted")
            : null,
          h("p", { class: "comment-text" }, comment.text),
          h(
            "div",
            { class: "comment-foot" },
            h(
              "p",
              { class: "comment-meta" },
              authorOf(comment),
              h("span", { class: "reactions" }, votesText(stage, comment)),
            ),
            h(
              "span",
              { class: "comment-buttons" },
              comment.hidden ? null : highlightButton(comment, { moderate, disabled }),
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small moderate",
                  "data-moderate": comment.hidden ? "restore_comment" : "hide_comment",
                  disabled,
                  onclick: () =>
                    moderate(comment.hidden ? "restore_comment" : "hide_comment", comment.id),
                },
                comment.hidden ? "Restore" : "Hide",
                h("span", { class: "visually-hidden" }, ` comment: ${comment.text.slice(0, 60)}`),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  const shown = comments.length - hiddenCount;
  return hiddenCount ? `(${shown} shown, ${hiddenCount} hidden)` : `(${shown})`;
}

// Highlight / Unhighlight: a highlighted comment is pinned first, marked, on the projector.
function highlightButton(comment, { moderate, disabled }) {
  const event = comment.highlighted ? "unhighlight_comment" : "highlight_comment";
  return h(
    "button",
    {
      type: "button",
      class: "secondary small moderate",
      "data-moderate": event,
      "aria-pressed": String(Boolean(comment.highlighted)),
      disabled,
      onclick: () => moderate(event, comment.id),
    },
    comment.highlighted ? "Unhighlight" : "Highlight",
    h("span", { class: "visually-hidden" }, ` comment: ${comment.text.slice(0, 60)}`),
  );
}

// "3 agree · 1 pass · 0 disagree" on statements (voted agree, pass or disagree); comments
// elsewhere take no passes. Each count keeps to one line in the narrow panel.
function votesText(stage, comment) {
  const counts = [`${comment.agree} agree`];
  if (resultFor(stage.type).votesPass) counts.push(`${comment.passes || 0} pass`);
  counts.push(`${comment.disagree} disagree`);
  return counts.flatMap((words, i) => [i ? " · " : "", h("span", { class: "vote-count" }, words)]);
}

function commentClass(comment) {
  if (comment.hidden) return "comment is-hidden";
  return comment.highlighted ? "comment is-highlighted" : "comment";
}
