// docs/architecture.md's layer table must say exactly which layers each layer
// links, as the build really links them (CMake writes them to
// layer_links.txt at configure time; LS_LAYER_LINKS names that file).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

function linksFromBuild(file) {
  const links = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [layer, deps] = line.split(':');
    links.set(layer, (deps || '').split(',').filter(Boolean).sort());
  }
  return links;
}

// Rows of the "| layer | links | ..." table: `name` | `dep`, `dep` or — | ...
function linksFromDoc(file) {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('| layer | links |');
  assert.ok(start >= 0, 'docs/architecture.md has a "| layer | links |" table');
  const links = new Map();
  for (const row of text.slice(start).split('\n').slice(2)) {
    if (!row.startsWith('|')) break;
    const cells = row.split('|').map((c) => c.trim());
    const layer = cells[1].replace(/`/g, '');
    const deps = cells[2] === '—' ? [] : cells[2].split(',').map((d) => d.replace(/`/g, '').trim()).filter(Boolean);
    links.set(layer, deps.sort());
  }
  return links;
}

test('docs/architecture.md lists the layer links the build has', () => {
  const built = linksFromBuild(process.env.LS_LAYER_LINKS);
  const documented = linksFromDoc(path.join(__dirname, '..', '..', 'docs', 'architecture.md'));
  assert.deepStrictEqual([...documented.keys()].sort(), [...built.keys()].sort(), 'the same layers');
  for (const [layer, deps] of built) {
    assert.deepStrictEqual(documented.get(layer), deps, `links of ${layer}`);
  }
});

test('no layer of the media plane links the control plane or the store', () => {
  const built = linksFromBuild(process.env.LS_LAYER_LINKS);
  for (const [layer, deps] of built) {
    if (!layer.startsWith('media')) continue;
    for (const forbidden of ['control', 'store', 'api', 'auth']) {
      assert.ok(!deps.includes(forbidden), `${layer} links ${forbidden}`);
    }
  }
});
