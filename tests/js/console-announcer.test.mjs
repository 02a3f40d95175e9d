// What the console says to a screen reader (static/js/console-announcer.js): counts at most
// every ten seconds, never the first counts of a stage, and the results shown or hidden.

import assert from "node:assert/strict";
import { test } from "node:test";

import { consoleAnnouncer, countsWords } from "../../static/js/console-announcer.js";

// A clock and timers the test moves by hand.
function room() {
  const said = [];
  let time = 0;
  let timers = [];
  const announcer = consoleAnnouncer((words) => said.push(words), {
    every: 10_000,
    now: () => time,
    later: (run, ms) => {
      const timer = { run, at: time + ms };
      timers.push(timer);
      return timer;
    },
    cancel: (timer) => {
      timers = timers.filter((other) => other !== timer);
    },
  });
  const pass = (ms) => {
    time += ms;
    const due = timers.filter((timer) => timer.at <= time);
    timers = timers.filter((timer) => timer.at > time);
    for (const timer of due) timer.run();
  };
  return { said, announcer, pass, pending: () => timers.length };
}

const counts = (joined, answered, connected = joined) => [
  [connected, "connected"],
  [joined, "joined"],
  [answered, "answered"],
];

test("counts are words without the connected count", () => {
  assert.equal(countsWords(counts(3, 2, 1)), "3 joined, 2 answered");
  assert.equal(countsWords([]), "");
});

test("a stage's first counts are not said; a change is, at once", () => {
  const { said, announcer } = room();
  announcer.counts("rate", counts(3, 0));
  assert.deepEqual(said, []);
  announcer.counts("rate", counts(3, 1));
  assert.deepEqual(said, ["3 joined, 1 answered"]);
});

test("changes within ten seconds are said once, as they stand then", () => {
  const { said, announcer, pass } = room();
  announcer.counts("rate", counts(3, 0));
  announcer.counts("rate", counts(3, 1));
  for (let answered = 2; answered <= 6; answered += 1) {
    pass(1000);
    announcer.counts("rate", counts(4, answered));
  }
  assert.deepEqual(said, ["3 joined, 1 answered"]);
  pass(4999);
  assert.equal(said.length, 1); // not yet: ten seconds after the first was said
  pass(1);
  assert.deepEqual(said, ["3 joined, 1 answered", "4 joined, 6 answered"]);
  pass(60_000);
  assert.equal(said.length, 2);
});

test("counts that went back to what was said are not said again", () => {
  const { said, announcer, pass } = room();
  announcer.counts("rate", counts(3, 0));
  announcer.counts("rate", counts(3, 1));
  announcer.counts("rate", counts(3, 2));
  announcer.counts("rate", counts(3, 1));
  pass(10_000);
  assert.deepEqual(said, ["3 joined, 1 answered"]);
});

test("a new stage drops counts held back and starts afresh, silently", () => {
  const { said, announcer, pass, pending } = room();
  announcer.counts("rate", counts(3, 0));
  announcer.counts("rate", counts(3, 1));
  announcer.counts("rate", counts(3, 2));
  assert.equal(pending(), 1);
  announcer.counts("light", counts(3, 0));
  assert.equal(pending(), 0);
  pass(10_000);
  announcer.counts("light", counts(3, 1));
  assert.deepEqual(said, ["3 joined, 1 answered", "3 joined, 1 answered"]);
});

test("only the connected count changing says nothing", () => {
  const { said, announcer } = room();
  announcer.counts("rate", counts(3, 0, 3));
  announcer.counts("rate", counts(3, 0, 1));
  assert.deepEqual(said, []);
});

test("results shown and hidden on the same stage are said; a new stage's are not", () => {
  const { said, announcer } = room();
  announcer.results("rate", false); // the first sync
  announcer.results("rate", false);
  announcer.results("rate", true);
  announcer.results("rate", true);
  announcer.results("light", true); // went to a stage whose results were shown before
  announcer.results("light", false);
  assert.deepEqual(said, ["Results shown to the room", "Results hidden from the room"]);
});
