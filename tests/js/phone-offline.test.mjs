// What the phone remembers of the last stage for a reload offline (static/js/phone-offline.js).

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { offlineMemory } from "../../static/js/phone-offline.js";

// The tab's sessionStorage, as the browser gives it; `window.caches` is left out, as on a
// page that is not a secure context.
function storage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    items,
  };
}

const STATE = {
  seq: 7,
  status: "live",
  stage_index: 4,
  stage_count: 15,
  input_open: true,
  stage: { key: "proportionate", type: "traffic_light", title: "Test 2" },
};

beforeEach(() => {
  globalThis.window = { sessionStorage: storage(), location: { origin: "https://x", pathname: "/p/ABC234" } };
});

test("the last stage is remembered per session code and read back", () => {
  const memory = offlineMemory("ABC234");
  assert.equal(memory.lastStage(), null);
  memory.rememberStage(STATE);
  memory.rememberStage({ ...STATE, stage_index: 5, stage: { ...STATE.stage, key: "responsible" } });
  assert.equal(memory.lastStage().stage.key, "responsible");
  assert.equal(offlineMemory("OTHER1").lastStage(), null);
  assert.deepEqual([...globalThis.window.sessionStorage.items.keys()], ["facilitation.stage.ABC234"]);
});

test("anything that is not a stage view is neither kept nor read back", () => {
  const memory = offlineMemory("ABC234");
  memory.rememberStage(null);
  memory.rememberStage({ ...STATE, stage: null });
  assert.equal(globalThis.window.sessionStorage.items.size, 0);
  for (const stored of ["{", "[]", '"text"', JSON.stringify({ ...STATE, stage_index: "4" })]) {
    globalThis.window.sessionStorage.setItem("facilitation.stage.ABC234", stored);
    assert.equal(memory.lastStage(), null, stored);
  }
});

test("forgetting drops the remembered stage", async () => {
  const memory = offlineMemory("ABC234");
  memory.rememberStage(STATE);
  await memory.forget();
  assert.equal(memory.lastStage(), null);
  assert.equal(globalThis.window.sessionStorage.items.size, 0);
});

test("without storage the phone still works, remembering nothing", () => {
  globalThis.window = {
    sessionStorage: {
      getItem() {
        throw new Error("denied");
      },
      setItem() {
        throw new Error("denied");
      },
      removeItem() {
        throw new Error("denied");
      },
    },
  };
  const memory = offlineMemory("ABC234");
  memory.rememberStage(STATE);
  assert.equal(memory.lastStage(), null);
});
