// The countdown badge's choice of what to show (static/js/countdown.js), run by `node --test`
// (make test-js). The projector hides "Time's up" once the results are revealed.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { countdownShows } from "../../static/js/countdown.js";

const running = { running: true, ends_at: "2026-12-05T20:00:00Z", remaining_ms: null };
const paused = { running: false, ends_at: null, remaining_ms: 30_000 };

describe("countdownShows", () => {
  test("nothing without a timer", () => {
    assert.equal(countdownShows(null, null), null);
    assert.equal(countdownShows(null, null, true), null);
  });
  test("a running and a paused countdown", () => {
    assert.equal(countdownShows(12_000, running), "running");
    assert.equal(countdownShows(30_000, paused), "paused");
  });
  test("time's up while the results are not revealed", () => {
    assert.equal(countdownShows(0, running), "up");
    assert.equal(countdownShows(0, running, false), "up");
  });
  test("no time's up once the results are revealed", () => {
    assert.equal(countdownShows(0, running, true), null);
  });
  test("a countdown still running after the reveal keeps counting", () => {
    assert.equal(countdownShows(12_000, running, true), "running");
  });
});
