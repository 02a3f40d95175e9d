// What the phone's status bar says of a saved answer (static/js/saved-answer.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { clockTime, isChange } from "../../static/js/saved-answer.js";

test("a first answer is not a change", () => {
  assert.equal(isChange(undefined, { sector: "Health" }), false);
  assert.equal(isChange(null, { order: ["a", "b"] }), false);
});

test("rating another statement adds to the answer; re-rating one changes it", () => {
  const one = { ratings: { a: 4 } };
  assert.equal(isChange(one, { ratings: { a: 4, b: 2 } }), false);
  assert.equal(isChange(one, { ratings: { a: 3, b: 2 } }), true);
  assert.equal(isChange({ ratings: { a: 4, b: 2 } }, { ratings: { a: 4 } }), true);
});

test("a new choice, order, sector or text changes the answer; the same one again does not", () => {
  assert.equal(isChange({ sector: "Health" }, { sector: "Housing" }), true);
  assert.equal(isChange({ sector: "Health" }, { sector: "Health" }), false);
  assert.equal(isChange({ order: ["a", "b", "c"] }, { order: ["b", "a", "c"] }), true);
  assert.equal(isChange({ order: ["a", "b", "c"] }, { order: ["a", "b", "c"] }), false);
  assert.equal(isChange({ choices: ["x"] }, { choices: ["x", "y"] }), true);
  assert.equal(isChange({ cells: { "2,3": 1 } }, { cells: { "2,3": 1, "1,1": 1 } }), false);
  assert.equal(isChange({ text: "trust" }, { text: "open data" }), true);
});

test("the time is the phone's clock, two digits each", () => {
  assert.equal(clockTime(new Date(2026, 0, 5, 9, 3, 7)), "09:03:07");
  assert.equal(clockTime(new Date(2026, 0, 5, 14, 2, 31)), "14:02:31");
});
