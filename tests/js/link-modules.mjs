// Links every ES module under static/js/ as a browser does before running a page's script,
// without running any of it (they need a DOM): a missing file, or a name imported that the
// other module does not export, is found here instead of in a browser test.
//
// Run by tests/js/imports.test.mjs as `node --experimental-vm-modules link-modules.mjs`
// (vm.SourceTextModule needs the flag); prints {file: problem or null} as JSON.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const STATIC_JS = join(ROOT, "static", "js");

function modulesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** Links the module at `path` and what it imports, each graph afresh (a failed link
 * leaves its modules unusable for the next). */
async function link(path) {
  const loaded = new Map();
  const load = (file) => {
    if (!loaded.has(file)) {
      loaded.set(file, new vm.SourceTextModule(readFileSync(file, "utf8"), { identifier: file }));
    }
    return loaded.get(file);
  };
  // The app serves static/js/ as it is: only relative paths to .js files resolve.
  const linker = (specifier, referrer) => {
    if (!/^\.\.?\//.test(specifier) || !specifier.endsWith(".js")) {
      throw new Error(`import "${specifier}": only relative paths to .js files are served`);
    }
    return load(resolve(dirname(referrer.identifier), specifier));
  };
  await load(path).link(linker);
}

const problems = {};
for (const path of modulesUnder(STATIC_JS)) {
  const name = relative(ROOT, path);
  try {
    await link(path);
    problems[name] = null;
  } catch (error) {
    problems[name] = `${error.name}: ${error.message}`;
  }
}
process.stdout.write(JSON.stringify(problems));
