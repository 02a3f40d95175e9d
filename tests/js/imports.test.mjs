// Every module under static/js/ links: the files it imports exist and export what it asks
// for. ESLint looks at one file at a time and cannot tell; link-modules.mjs says.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const script = fileURLToPath(new URL("./link-modules.mjs", import.meta.url));
const run = spawnSync(process.execPath, ["--experimental-vm-modules", "--no-warnings", script], {
  encoding: "utf8",
});
assert.equal(run.status, 0, run.stderr);
const problems = JSON.parse(run.stdout);

test("static/js/ holds modules to link", () => {
  assert.ok(Object.keys(problems).length > 10, run.stdout);
});

for (const [file, problem] of Object.entries(problems)) {
  test(`${file} links`, () => assert.equal(problem, null));
}
