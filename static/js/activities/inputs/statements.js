// A statements stage on a phone: each person writes statements and votes Agree, Disagree or
// Pass on everyone else's. The statements are the stage's comments, so its panel replaces
// the comments panel.
//
// Votes are asked for one at a time: a card shows the statement that matters most among
// those the person has not voted on (next-statement.js), with big Agree / Disagree / Pass
// buttons and "Skip for now". A vote moves the card on at once and the line under it says
// when the vote is saved; a vote the server refuses brings its statement back to the card
// with the reason. The card never changes while the person reads it: statements that
// arrive meanwhile wait their turn. "All statements" shows the whole list, oldest first
// (not by agreement: the ranking is the facilitator's to reveal, and a statement must not
// move while it is read), where a vote is changed or taken back; the box to write one's own
// is under both.

import { h } from "../../live.js";
import { canVote, listOrder, nextStatement, votingProgress } from "../../next-statement.js";
import { composer, keepingFocus, reactionState, reactions, switchOff } from "../../phone-comments.js";
import { t, tn } from "../../phone-text.js";

const VOTES = [
  { kind: "agree", word: t("Agree") },
  { kind: "disagree", word: t("Disagree") },
  { kind: "pass", word: t("Pass") },
];

const SAVED = {
  agree: t("Saved ✓ You agreed."),
  disagree: t("Saved ✓ You disagreed."),
  pass: t("Saved ✓ You passed."),
};

// A card just shown takes no vote for this long: a second tap meant for the statement
// before must not land on the one that took its place.
const STEADY_MS = 400;

export function comments(stage, ctx) {
  const max = stage.max_length || 280;
  const textareaId = `statement-${stage.key}`;
  let data = { open: false, comments: [], own: new Set(), reactions: {} };
  let mode = "card"; // "card": one statement at a time; "list": all of them
  let current = null; // the id of the statement on the card
  let shownAt = 0; // when the card last changed (performance.now())
  let settle = null; // the timer that gives the card's buttons back after STEADY_MS
  const skipped = new Set(); // ids put off with "Skip for now"
  // Votes given on the card, until the person changes them in the list: the card moves on
  // before the server has the vote, and must not offer the statement again meanwhile.
  const cast = new Map();
  let last = null; // {id, kind}: the latest vote from the card, which the status line is about

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
  const notSaved = t("Your vote was not saved.");
  const { busy, errors, note, send } = reactions(ctx, () => draw(), notSaved);
  // The server's reason for refusing a vote, said as such.
  const refusal = (id) => (errors[id] === notSaved ? notSaved : t("Not saved: {reason}", { reason: errors[id] }));

  // The person's votes as far as this phone knows: the server's (with those on their way)
  // and those just given on the card. With `taking`, a statement whose vote is on its way
  // counts as voted, even a vote being taken back: the card leaves it alone until it is done.
  const known = (taking = false) => {
    const votes = { ...data.reactions };
    for (const [id, kind] of cast) votes[String(id)] ??= kind;
    if (taking) for (const id of busy.keys()) votes[String(id)] ??= "on its way";
    return votes;
  };
  const settling = () => performance.now() - shownAt < STEADY_MS;
  const onCard = () => (data.comments || []).find((comment) => comment.id === current) || null;

  // The card ---------------------------------------------------------------------------

  const cardText = h("p", { class: "next-text", tabindex: "-1" });
  const cardAuthor = h("span", { class: "comment-author" });
  const voteButtons = VOTES.map(({ kind, word }) =>
    h(
      "button",
      { type: "button", class: `react react-${kind} next-vote`, dataset: { reaction: kind }, onclick: () => vote(kind) },
      h("span", { class: "react-word" }, word),
    ),
  );
  const skipButton = h("button", { type: "button", class: "link-button skip", onclick: () => skip() }, t("Skip for now"));
  const card = h(
    "div",
    { class: "next-statement" },
    cardText,
    h("p", { class: "comment-meta" }, cardAuthor),
    h("div", { class: "reactions votes-3 next-votes", role: "group", "aria-label": t("Your vote on this statement") }, voteButtons),
    skipButton,
  );
  const nothingLeft = h("p", { class: "next-none", tabindex: "-1" });
  const skippedAgain = h(
    "button",
    { type: "button", class: "secondary wide", onclick: () => showSkipped() },
    t("Show the statements you skipped"),
  );
  const status = h("p", { class: "vote-status", role: "status" });
  const cardProgress = h("p", { class: "statements-progress" });
  const allButton = h("button", { type: "button", class: "secondary wide all-statements", onclick: () => show("list") });
  const cardView = h(
    "div",
    { class: "statements-next" },
    h("h3", { class: "wall-heading" }, t("Next statement")),
    h("p", { class: "hint statements-how" }, t("Agree, Disagree, or Pass if you are unsure. You can change a vote under All statements.")),
    cardProgress,
    card,
    nothingLeft,
    skippedAgain,
    status,
    allButton,
  );

  /** The card shows another statement (or none): its buttons wait a moment. */
  const changeCard = (id) => {
    current = id;
    shownAt = performance.now();
    clearTimeout(settle);
    // Only the card's buttons wait: the list (if shown) is not drawn again under the reader.
    settle = setTimeout(() => drawCard(data.comments || []), STEADY_MS);
  };

  const setStatus = (state, text) => {
    if (status.dataset.state === state && status.textContent === text) return; // no re-announcing
    status.dataset.state = state;
    status.textContent = text;
  };

  // A refused vote is said while its statement is back on the card; otherwise the line
  // speaks of the latest vote: on its way (and why it waits, if it does), saved, or not.
  const showStatus = () => {
    if (current !== null && errors[current]) return setStatus("error", refusal(current));
    if (!last) return setStatus("", "");
    if (busy.has(last.id)) {
      const waiting = note(last.id);
      return waiting ? setStatus("waiting", waiting.textContent) : setStatus("saving", t("Saving…"));
    }
    if (errors[last.id]) return setStatus("error", refusal(last.id));
    return setStatus("saved", SAVED[last.kind]);
  };

  const drawCard = (comments) => {
    const votes = known(true);
    let statement = onCard();
    if (!statement || skipped.has(statement.id) || !canVote(statement, { own: data.own, reactions: votes })) {
      statement = nextStatement(comments, { own: data.own, reactions: votes, skipped });
      const id = statement ? statement.id : null;
      if (id !== current) changeCard(id);
    }
    const progress = votingProgress(comments, { own: data.own, reactions: known() });
    cardProgress.textContent = progress.others
      ? tn(progress.others, "You have voted on {voted} of {n} statement by others.", "You have voted on {voted} of {n} statements by others.", { voted: progress.voted })
      : "";
    card.hidden = !statement;
    if (statement) {
      card.dataset.id = String(statement.id);
      cardText.textContent = statement.text;
      cardAuthor.textContent = statement.author || t("Anonymous");
    }
    const off = !data.open || settling() || (statement && busy.has(statement.id));
    for (const button of [...voteButtons, skipButton]) switchOff(button, Boolean(off));

    // Nothing on the card: every statement left was skipped, or none is left at all.
    const skippedLeft = statement ? 0 : votingProgress(comments, { own: data.own, reactions: votes }).left;
    nothingLeft.hidden = Boolean(statement);
    skippedAgain.hidden = !skippedLeft;
    // A run shows others' statements once the person has written one (runs.shows_results).
    if (!comments.length) nothingLeft.textContent = ctx.pace ? t("No statements to vote on yet.") : t("No statements yet. Be the first.");
    else if (!progress.others) nothingLeft.textContent = t("Statements by others appear here as people write them.");
    else if (skippedLeft) nothingLeft.textContent = tn(skippedLeft, "You skipped {n} statement.", "You skipped {n} statements.");
    else nothingLeft.textContent = t("You have voted on every statement. New ones appear here as people write them.");
    allButton.hidden = !comments.length;
    allButton.textContent = t("All statements ({n})", { n: comments.length });
    showStatus();
  };

  /** After a vote or a skip from the keyboard (or a tap that focused the button): the
   * focus goes to what the card shows now, so a screen reader reads the next statement. */
  const focusCard = () => (card.hidden ? nothingLeft : cardText).focus();

  const vote = async (kind) => {
    const statement = onCard();
    if (!statement || !data.open || settling() || busy.has(statement.id)) return;
    const focused = cardView.contains(document.activeElement);
    cast.set(statement.id, kind);
    skipped.delete(statement.id);
    last = { id: statement.id, kind };
    const sent = send(statement, kind); // draws at once: the card moves on
    if (focused) focusCard();
    await sent;
    if (errors[statement.id]) {
      // Not saved: the statement comes back to the card, with the reason under it.
      cast.delete(statement.id);
      const refocus = cardView.contains(document.activeElement);
      changeCard(statement.id);
      draw();
      if (refocus) focusCard();
    } else if (ctx.more && votingProgress(data.comments, { own: data.own, reactions: known(true) }).left === 0) {
      // A run's phone holds only part of a large wall: ask for the statements it lacks.
      ctx.more();
    }
  };

  const skip = () => {
    if (current === null || settling()) return;
    const focused = cardView.contains(document.activeElement);
    skipped.add(current);
    draw();
    if (focused) focusCard();
  };

  const showSkipped = () => {
    skipped.clear();
    draw();
    focusCard();
  };

  // All statements ----------------------------------------------------------------------

  const listHeading = h("h3", { class: "wall-heading", tabindex: "-1" });
  const listProgress = h("p", { class: "statements-progress" });
  const list = h("ul", { class: "wall statements-list" });
  const backButton = () =>
    h("button", { type: "button", class: "secondary wide back-to-card", onclick: () => show("card") }, t("Back to the next statement"));
  const listView = h(
    "div",
    { class: "statements-all", hidden: true },
    backButton(),
    listHeading,
    h(
      "p",
      { class: "hint statements-how" },
      t("Agree, Disagree, or Pass if you are unsure. Tap again to take your vote back."),
    ),
    listProgress,
    list,
    backButton(),
  );

  // A vote given or changed in the list is the person's word on it from now on.
  const voteInList = (comment, next) => {
    cast.delete(comment.id);
    send(comment, next);
  };

  const statementItem = (comment, votes) => {
    const mine = data.own.has(comment.id);
    const given = votes[String(comment.id)] || null;
    const counts = t("{agree} agree · {disagree} disagree · {passes} pass", {
      agree: comment.agree,
      disagree: comment.disagree,
      passes: comment.passes || 0,
    });
    return h(
      "li",
      {
        class: `comment statement${mine ? " own" : ""}${given ? " voted" : ""}`,
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
                  "aria-pressed": given === kind ? "true" : "false",
                  ...reactionState(data.open, busy.has(comment.id)),
                  dataset: { comment: String(comment.id), reaction: kind },
                  onclick: () => voteInList(comment, given === kind ? "none" : kind),
                },
                h("span", { class: "react-word" }, word),
              ),
            ),
          ),
      errors[comment.id] ? h("p", { class: "error-text" }, errors[comment.id]) : null,
      note(comment.id),
    );
  };

  /** Redraw the list without moving what the person reads: the statement at the top of
   * the screen stays where it was. Its nodes are new, so the browser's scroll anchoring
   * cannot keep it there; and a vote's "Saving…" line above would push it down. */
  const keepingPlace = (redraw) => {
    const top = [...list.children].find((item) => item.dataset.id && item.getBoundingClientRect().bottom > 0);
    const before = top ? top.getBoundingClientRect().top : 0;
    keepingFocus(list, redraw);
    const again = top ? list.querySelector(`li[data-id="${CSS.escape(top.dataset.id)}"]`) : null;
    if (again) window.scrollBy(0, again.getBoundingClientRect().top - before);
  };

  const drawList = (comments) =>
    keepingPlace(() => {
      const votes = known();
      const progress = votingProgress(comments, { own: data.own, reactions: votes });
      const whose = ctx.pace
        ? [t("Statements from people taking part ({n})", { n: comments.length }), t("Statements from people taking part")]
        : [t("Statements from the room ({n})", { n: comments.length }), t("Statements from the room")];
      listHeading.textContent = comments.length ? whose[0] : whose[1];
      listProgress.textContent = progress.others
        ? tn(progress.others, "You have voted on {voted} of {n} statement by others.", "You have voted on {voted} of {n} statements by others.", { voted: progress.voted })
        : "";
      list.replaceChildren(
        ...(comments.length
          ? listOrder(comments).map((comment) => statementItem(comment, votes))
          : [h("li", { class: "wall-empty" }, t("No statements yet. Be the first."))]),
      );
    });

  /** One statement at a time ("card") or all of them ("list"); the focus goes to the top
   * of what is shown. */
  const show = (next) => {
    mode = next;
    last = null; // a confirmation from before the list is old news
    cardView.hidden = mode !== "card";
    listView.hidden = mode !== "list";
    draw();
    if (mode === "list") listHeading.focus();
    else focusCard();
  };

  const draw = () => {
    const comments = data.comments || [];
    drawCard(comments);
    // The list is drawn only while shown: a long wall costs nothing while people vote by card.
    if (mode === "list") drawList(comments);
    else list.replaceChildren();
  };

  const element = h(
    "section",
    { class: "comments statements", "aria-labelledby": `${textareaId}-heading` },
    h("h2", { id: `${textareaId}-heading`, class: "visually-hidden" }, t("Statements")),
    cardView,
    listView,
    box.element,
  );
  box.refresh(data.open);
  draw();
  return {
    element,
    update(next) {
      data = { ...data, ...next };
      box.refresh(data.open);
      draw();
    },
  };
}
