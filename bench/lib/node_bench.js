// What the Node benches share: the repository's paths and test helpers
// (LUNARSTREAM_BIN defaulting to the build, web/node_modules on the module
// path for playwright-core and friends), and replacing one section of
// bench/RESULTS.md with a run's figures.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const repo = path.resolve(__dirname, "..", "..");
process.env.LUNARSTREAM_BIN = process.env.LUNARSTREAM_BIN || path.join(repo, "build", "src", "app", "lunarstream");
process.env.NODE_PATH = [path.join(repo, "web", "node_modules"), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
require("node:module").Module._initPaths();

// A helper module of the integration tests (tests/integration/lib/<name>.js).
function testLib(name) {
  return require(path.join(repo, "tests", "integration", "lib", `${name}.js`));
}

// Replaces the "## <title>" section of bench/RESULTS.md (up to the next "## ")
// with `text`, or appends it when the file has no such section.
function replaceResultsSection(title, text) {
  const file = path.join(repo, "bench", "RESULTS.md");
  const old = fs.readFileSync(file, "utf8");
  const start = old.indexOf(`## ${title}\n`);
  let next;
  if (start < 0) next = old.trimEnd() + "\n\n" + text;
  else {
    const end = old.indexOf("\n## ", start + 3);
    next = old.slice(0, start) + text.replace(/\n*$/, "\n") + (end < 0 ? "" : old.slice(end));
  }
  fs.writeFileSync(file, next);
}

module.exports = { repo, testLib, replaceResultsSection };
