// The console's big button label and keys (static/js/console-press.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { KEY_HELP, keyCommand, pressLabel } from "../../static/js/console-press.js";

const state = (next, nextTitle = "Test 2: Proportionate") => ({
  flow: { next, next_title: nextTitle },
});

test("the label says what the next press does", () => {
  assert.equal(pressLabel(state("next")).label, "Go to Test 2: Proportionate");
  assert.equal(pressLabel(state("reveal")).label, "Show results");
  assert.equal(pressLabel(state("close_reveal")).label, "Show results");
  assert.equal(pressLabel(state("open")).label, "Start answering");
  assert.equal(pressLabel(state("close")).label, "Stop answering");
  assert.equal(pressLabel(state("end", null)).label, "End of plan");
  assert.equal(pressLabel(null).action, null);
});

test("on slides, the label names the page the press shows", () => {
  const slides = { ...state("page"), slide: { index: 1, of: 6 } };
  assert.deepEqual(pressLabel(slides), {
    label: "Show page 3",
    detail: "of 6 in this deck",
    action: "page",
  });
});

test("no label takes another control's name", () => {
  for (const action of ["next", "reveal", "close_reveal", "open", "close", "end", "page"]) {
    const { label, detail } = pressLabel(state(action));
    const name = `${label} ${detail}`.toLowerCase();
    for (const other of ["next", "previous", "open input", "close input", "reveal results"]) {
      assert.ok(!name.includes(other), `${action}: "${name}" has "${other}"`);
    }
  }
});

test("keys: clicker, arrows, space, letters; nothing while typing", () => {
  const body = { tagName: "BODY" };
  assert.equal(keyCommand({ key: "PageDown" }, body), "press");
  assert.equal(keyCommand({ key: "ArrowRight" }, body), "press");
  assert.equal(keyCommand({ key: " " }, body), "press");
  assert.equal(keyCommand({ key: "PageUp" }, body), "back");
  assert.equal(keyCommand({ key: "ArrowLeft" }, body), "back");
  assert.equal(keyCommand({ key: "r" }, body), "results");
  assert.equal(keyCommand({ key: "O" }, body), "input");
  assert.equal(keyCommand({ key: "?" }, body), "help");
  assert.equal(keyCommand({ key: "b" }, body), "black");
  assert.equal(keyCommand({ key: "x" }, body), null);
  assert.equal(keyCommand({ key: "r", ctrlKey: true }, body), null);
  assert.equal(keyCommand({ key: "r" }, { tagName: "INPUT" }), null);
  assert.equal(keyCommand({ key: "PageDown" }, { tagName: "TEXTAREA" }), null);
  assert.equal(keyCommand({ key: "o" }, { tagName: "DIV", isContentEditable: true }), null);
  assert.equal(keyCommand({ key: " " }, { tagName: "BUTTON" }), null);
  assert.equal(keyCommand({ key: "PageDown" }, { tagName: "BUTTON" }), "press");
});

test("a held key is one command: the keyboard's repeats are not presses", () => {
  // Held for a second, a key (or a clicker's button) repeats some 30 times: each repeat
  // taken as a press ran the room through several stages and reveals.
  const body = { tagName: "BODY" };
  for (const key of ["ArrowRight", "PageDown", " ", "ArrowLeft", "PageUp", "r", "o", "b", "?"]) {
    assert.equal(keyCommand({ key, repeat: true }, body), null, key);
  }
});

test("the help says Space presses a focused button and Right/Page Down always press", () => {
  // After a mouse click, the clicked button keeps focus and Space presses it again (the
  // browser's behaviour, kept for keyboard users): the list must not promise otherwise.
  const help = new Map(KEY_HELP);
  assert.match(help.get("Space"), /focused button/);
  assert.match(help.get("→, Page Down"), /next press/);
  assert.ok(![...help.keys()].some((keys) => keys.includes("Space") && keys.includes("Page Down")));
});
