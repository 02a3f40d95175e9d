// Which statement a phone offers next on a statements stage (activities/inputs/statements.js
// draws it as one card): of the statements the person did not write and has not voted on,
// the one that matters most; and the order of the list of all of them. No DOM here, so
// tests/js/next-statement.test.mjs runs it in Node.
//
// The server gives each statement of the wall a `priority` (facilitation/opinion/priority.py:
// higher while it has few votes and few passes, and for statements that split the opinion
// groups). A wall without it (a stage without groups, an older server) counts every
// statement as 0: the statement with the fewest votes comes first, then the oldest, so each
// gets its first votes before any gets many.

const votesOn = (comment) => (comment.agree || 0) + (comment.disagree || 0) + (comment.passes || 0);
const priorityOf = (comment) => (Number.isFinite(comment.priority) ? comment.priority : 0);

/** Negative when `a` is to be offered before `b`: higher priority, then fewer votes, then
 * written earlier (seq, then id). */
export function offeredBefore(a, b) {
  return (
    priorityOf(b) - priorityOf(a) ||
    votesOn(a) - votesOn(b) ||
    (a.seq ?? 0) - (b.seq ?? 0) ||
    a.id - b.id
  );
}

/** Whether the person can still vote on `comment`: someone else's, no vote of theirs yet
 * (`reactions`: comment id as a string -> their vote, including votes on their way). */
export function canVote(comment, { own = new Set(), reactions = {} } = {}) {
  return !own.has(comment.id) && !reactions[String(comment.id)] && !comment.awaiting;
}

/**
 * The statement to offer next, or null when none is left: the first by `offeredBefore`
 * among those `canVote` and not `skipped` (a Set of ids the person put off for now).
 */
export function nextStatement(comments, { own = new Set(), reactions = {}, skipped = new Set() } = {}) {
  let best = null;
  for (const comment of comments || []) {
    if (!canVote(comment, { own, reactions }) || skipped.has(comment.id)) continue;
    if (best === null || offeredBefore(comment, best) < 0) best = comment;
  }
  return best;
}

/** How far the person is: {others: statements by others, voted: how many of those they
 * voted on, left: how many they still can, skipped ones included}. */
export function votingProgress(comments, { own = new Set(), reactions = {} } = {}) {
  const others = (comments || []).filter((comment) => !own.has(comment.id));
  const voted = others.filter((comment) => reactions[String(comment.id)]).length;
  const left = others.filter((comment) => canVote(comment, { own, reactions })).length;
  return { others: others.length, voted, left };
}

/** The "All statements" list in its order: oldest first (seq, then id), the person's own
 * among the rest; one just written, whose seq the server has not sent yet, last. Not by
 * agreement: a vote must not move its statement from under the thumb, others' votes must
 * not reshuffle the list while it is read, and before the reveal the order must not give
 * away the ranking that only the facilitator sees. */
export function listOrder(comments) {
  const seqOf = (comment) => (Number.isFinite(comment.seq) ? comment.seq : Infinity);
  // Two unsent seqs give NaN (Infinity - Infinity), which falls through to the id.
  return [...(comments || [])].sort((a, b) => seqOf(a) - seqOf(b) || a.id - b.id);
}
