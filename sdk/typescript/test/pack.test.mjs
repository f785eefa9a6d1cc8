// `npm pack` makes a package a partner can install: the compiled client,
// its type declarations (the OpenAPI types included) and the README.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the packed files are the built package and its README", () => {
  // The build ran before this test (the sdk.typescript.build fixture); pack without building again.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  const [pack] = JSON.parse(out);
  const files = pack.files.map((f) => f.path).sort();
  for (const needed of ["README.md", "package.json", "dist/index.js", "dist/index.d.ts", "dist/client.js",
    "dist/webhooks.js", "dist/schema.d.ts"]) {
    assert.ok(files.includes(needed), `${needed} is packed: ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("node_modules/")),
    files.join(", "));
  assert.equal(pack.name, "@lunarstream/sdk");
});
