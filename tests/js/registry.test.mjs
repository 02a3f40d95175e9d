// The activity registries' lazy loading (static/js/activities/registry.js): a type's module
// is imported when first asked for, once, laid over the base; before that, and for a type
// the page does not know, the lookup gives the base.

import assert from "node:assert/strict";
import { test } from "node:test";

import { lazyRegistry } from "../../static/js/activities/registry.js";

const base = { card: "base card", view: "base view" };

function counted(module) {
  const loader = async () => {
    loader.calls += 1;
    return module;
  };
  loader.calls = 0;
  return loader;
}

test("a type is the base until loaded, then its module over the base", async () => {
  const rating = counted({ view: "rating view" });
  const types = lazyRegistry(base, { info: null, rating });
  assert.equal(types.lookup("rating").view, "base view");
  assert.equal(types.loaded(["rating"]), false);
  await types.load(["rating"]);
  assert.deepEqual({ ...types.lookup("rating") }, { card: "base card", view: "rating view" });
  assert.ok(Object.isFrozen(types.lookup("rating")));
  assert.equal(types.loaded(["rating"]), true);
  assert.deepEqual(types.names, ["info", "rating"]);
});

test("each module is imported once, however many ask at the same time", async () => {
  const rating = counted({ view: "rating view" });
  const types = lazyRegistry(base, { rating });
  await Promise.all([types.load(["rating", "rating"]), types.load(["rating"])]);
  await types.load(["rating"]);
  assert.equal(rating.calls, 1);
});

test("a type without a module, or unknown to the page, needs no loading and is the base", async () => {
  const types = lazyRegistry(base, { info: null });
  assert.equal(types.loaded(["info", "from-a-newer-server"]), true);
  await types.load(["info", "from-a-newer-server"]);
  assert.deepEqual({ ...types.lookup("info") }, base);
  assert.deepEqual({ ...types.lookup("from-a-newer-server") }, base);
});

test("a failed import is tried again on the next load", async () => {
  let online = false;
  const rating = async () => {
    if (!online) throw new TypeError("Failed to fetch dynamically imported module");
    return { view: "rating view" };
  };
  const types = lazyRegistry(base, { rating });
  await assert.rejects(types.load(["rating"]), TypeError);
  assert.equal(types.lookup("rating").view, "base view");
  online = true;
  await types.load(["rating"]);
  assert.equal(types.lookup("rating").view, "rating view");
});
