// A statements stage on a phone: each person writes statements and votes Agree, Disagree or
// Pass on everyone else's. The statements are the stage's comments, so its panel replaces
// the comments panel.

import { h } from "../../live.js";
import { composer, keepingFocus, reactionState, reactions } from "../../phone-comments.js";
import { t, tn } from "../../phone-text.js";

const VOTES = [
  { kind: "agree", word: t("Agree") },
  { kind: "disagree", word: t("Disagree") },
  { kind: "pass", word: t("Pass") },
];

export function comments(stage, ctx) {
  const max = stage.max_length || 280;
  const textareaId = `statement-${stage.key}`;
  let data = { open: false, comments: [], own: new Set(), reactions: {} };
  const box = composer(ctx, {
    id: textareaId,
    name: "statement",
    max,
    label: t("Your statement"),
    // A workshop's neighbours; a run's others taking part (ctx.pace: the run's state.pace).
    hint: ctx.pace
      ? t("One clear point others taking part can agree or disagree with.")
      : t("One clear point others can agree or disagree with. It shows on your neighbours' phones."),
    hinted: true,
    words: {
      button: t("Submit"),
      posting: t("Submitting…"),
      posted: t("Submitted ✓ Others can now vote on it."),
      notSaved: t("Your statement was not saved."),
    },
  });
  const listHeading = h("h3", { class: "wall-heading" });
  const progress = h("p", { class: "statements-progress" });
  const list = h("ul", { class: "wall statements-list" });
  const { busy, errors, note, send: vote } = reactions(ctx, () => drawList(), t("Your vote was not saved."));

  const statementItem = (comment) => {
    const mine = data.own.has(comment.id);
    const current = data.reactions[String(comment.id)] || null;
    const counts = t("{agree} agree · {disagree} disagree · {passes} pass", {
      agree: comment.agree,
      disagree: comment.disagree,
      passes: comment.passes || 0,
    });
    return h(
      "li",
      {
        class: `comment statement${mine ? " own" : ""}${current ? " voted" : ""}`,
        dataset: { id: String(comment.id) },
      },
      h("p", { class: "comment-text" }, comment.text),
      h(
        "p",
        { class: "comment-meta" },
        mine ? h("span", { class: "own-badge" }, t("Your statement")) : null,
        comment.awaiting ? h("span", { class: "awaiting-badge" }, t("Waiting for approval")) : null,
        h("span", { class: "comment-author" }, comment.author || t("Anonymous")),
      ),
      mine
        ? h("p", { class: "comment-counts" }, counts)
        : h(
            "div",
            { class: "reactions votes-3", role: "group", "aria-label": t("Your vote on this statement") },
            VOTES.map(({ kind, word }) =>
              h(
                "button",
                {
                  type: "button",
                  class: `secondary react react-${kind}`,
                  "aria-pressed": current === kind ? "true" : "false",
                  ...reactionState(data.open, busy.has(comment.id)),
                  dataset: { comment: String(comment.id), reaction: kind },
                  onclick: () => vote(comment, current === kind ? "none" : kind),
                },
                h("span", { class: "react-word" }, word),
              ),
            ),
          ),
      errors[comment.id] ? h("p", { class: "error-text" }, errors[comment.id]) : null,
      note(comment.id),
    );
  };

  const drawList = () =>
    keepingFocus(list, () => {
      const comments = data.comments || [];
      const others = comments.filter((c) => !data.own.has(c.id));
      const voted = others.filter((c) => data.reactions[String(c.id)]).length;
      const whose = ctx.pace
        ? [t("Statements from people taking part ({n})", { n: comments.length }), t("Statements from people taking part")]
        : [t("Statements from the room ({n})", { n: comments.length }), t("Statements from the room")];
      listHeading.textContent = comments.length ? whose[0] : whose[1];
      progress.textContent = others.length
        ? tn(others.length, "You have voted on {voted} of {n} statement by others.", "You have voted on {voted} of {n} statements by others.", { voted })
        : "";
      list.replaceChildren(
        ...(comments.length
          ? comments.map(statementItem)
          : [h("li", { class: "wall-empty" }, t("No statements yet. Be the first."))]),
      );
    });

  const element = h(
    "section",
    { class: "comments statements", "aria-labelledby": `${textareaId}-heading` },
    h("h2", { id: `${textareaId}-heading`, class: "visually-hidden" }, t("Statements")),
    box.element,
    listHeading,
    h(
      "p",
      { class: "hint statements-how" },
      t("Agree, Disagree, or Pass if you are unsure. Tap again to take your vote back."),
    ),
    progress,
    list,
  );
  box.refresh(data.open);
  drawList();
  return {
    element,
    update(next) {
      data = { ...data, ...next };
      box.refresh(data.open);
      drawList();
    },
  };
}
