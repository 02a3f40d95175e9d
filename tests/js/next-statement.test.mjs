// Which statement a phone offers next on a statements stage (static/js/next-statement.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { canVote, listOrder, nextStatement, offeredBefore, votingProgress } from "../../static/js/next-statement.js";

const statement = (id, fields = {}) => ({ id, seq: id * 10, agree: 0, disagree: 0, passes: 0, ...fields });

test("the highest priority comes first, wherever it is on the wall", () => {
  const wall = [statement(1, { priority: 2.5 }), statement(2, { priority: 7.25 }), statement(3, { priority: 4 })];
  assert.equal(nextStatement(wall).id, 2);
});

test("the person's own statements and those they voted on are never offered", () => {
  const wall = [statement(1, { priority: 9 }), statement(2, { priority: 8 }), statement(3, { priority: 1 })];
  assert.equal(nextStatement(wall, { own: new Set([1]), reactions: { 2: "pass" } }).id, 3);
  // A pass is a vote: the statement is done with, as an agree is.
  assert.equal(nextStatement(wall, { own: new Set([1, 3]), reactions: { 2: "pass" } }), null);
});

test("skipped statements wait; none left but skipped ones gives null", () => {
  const wall = [statement(1, { priority: 9 }), statement(2, { priority: 8 })];
  assert.equal(nextStatement(wall, { skipped: new Set([1]) }).id, 2);
  assert.equal(nextStatement(wall, { skipped: new Set([1, 2]) }), null);
});

test("at equal priority fewer votes come first, then the older statement", () => {
  const wall = [
    statement(1, { priority: 3, agree: 4, passes: 1 }),
    statement(2, { priority: 3, agree: 1, disagree: 1 }),
    statement(3, { priority: 3, disagree: 2 }),
  ];
  // 2 and 3 both have two votes: 2 was written first.
  assert.equal(nextStatement(wall).id, 2);
  assert.equal(nextStatement(wall, { reactions: { 2: "agree" } }).id, 3);
  assert.equal(nextStatement(wall, { reactions: { 2: "agree", 3: "disagree" } }).id, 1);
});

test("a wall without priorities (no groups, an older server) offers the least voted, oldest first", () => {
  const wall = [statement(5, { agree: 3 }), statement(7), statement(6), statement(4, { passes: 1 })];
  assert.equal(nextStatement(wall).id, 6);
  // A priority that is not a number counts as none.
  assert.equal(nextStatement([statement(8, { priority: null }), statement(9, { priority: "high" })]).id, 8);
});

test("seq, not id, says which is older; id breaks a tie of seq", () => {
  assert.ok(offeredBefore(statement(9, { seq: 1 }), statement(2, { seq: 5 })) < 0);
  assert.ok(offeredBefore(statement(2, { seq: 5 }), statement(9, { seq: 5 })) < 0);
  assert.equal(nextStatement([statement(9, { seq: 1 }), statement(2, { seq: 5 })]).id, 9);
});

test("statements awaiting approval are not voted on; an empty wall offers nothing", () => {
  assert.equal(canVote(statement(1, { awaiting: true })), false);
  assert.equal(nextStatement([statement(1, { awaiting: true, priority: 9 }), statement(2)]).id, 2);
  assert.equal(nextStatement([]), null);
  assert.equal(nextStatement(undefined), null);
});

test("progress counts others' statements, the votes on them and what is left", () => {
  const wall = [statement(1), statement(2), statement(3), statement(4)];
  const progress = votingProgress(wall, { own: new Set([4]), reactions: { 1: "agree", 4: "agree" } });
  assert.deepEqual(progress, { others: 3, voted: 1, left: 2 });
  assert.deepEqual(votingProgress([], {}), { others: 0, voted: 0, left: 0 });
});

test("the list of all statements is oldest first, whatever the votes, own ones among them", () => {
  const wall = [
    statement(3, { agree: 9 }),
    statement(1, { disagree: 5 }),
    statement(4, { agree: 2, priority: 9 }),
    statement(2, { agree: 1 }),
  ];
  assert.deepEqual(listOrder(wall).map((c) => c.id), [1, 2, 3, 4]);
  // A vote changes the counts the server sends, not the order.
  const after = wall.map((c) => (c.id === 1 ? { ...c, agree: 20, disagree: 0 } : c)).reverse();
  assert.deepEqual(listOrder(after).map((c) => c.id), [1, 2, 3, 4]);
  // The wall itself is left as it came.
  assert.deepEqual(wall.map((c) => c.id), [3, 1, 4, 2]);
});

test("a statement just written, without its seq yet, comes last", () => {
  const wall = [statement(7, { seq: undefined }), statement(2), statement(6, { seq: undefined }), statement(1)];
  assert.deepEqual(listOrder(wall).map((c) => c.id), [1, 2, 6, 7]);
  assert.deepEqual(listOrder(null), []);
});
