// docs/openapi.json passes Redocly's linter (its recommended-strict rules:
// OpenAPI 3.1 structure, resolvable refs, operation ids, security on every
// operation, ...) and every schema in it compiles with ajv (JSON Schema
// 2020-12, strict), as the integration suite's response checker needs.
// That routes and document agree is tests/unit/app/openapi_routes_test.cpp.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..', '..');
const doc = path.join(root, 'docs', 'openapi.json');

test('docs/openapi.json passes redocly lint (recommended-strict)', () => {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  try {
    // Exits non-zero on any problem (recommended-strict makes warnings errors).
    execFileSync(process.execPath, [cli, 'lint', '--extends', 'recommended-strict', '--format', 'stylish', doc], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 120000,
    });
  } catch (e) {
    assert.fail(`redocly lint failed:\n${e.stdout}\n${e.stderr}`);
  }
});

test('every schema of docs/openapi.json compiles with ajv (2020-12, strict)', () => {
  const openapi = require(path.join(root, 'tests', 'integration', 'lib', 'openapi.js'));
  const { doc: parsed, validatorFor } = openapi.load();
  let compiled = 0;
  for (const [template, item] of Object.entries(parsed.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [code, response] of Object.entries(op.responses || {})) {
        const r = response.$ref ? parsed.components.responses[response.$ref.split('/').pop()] : response;
        const schema = r.content && r.content['application/json'] && r.content['application/json'].schema;
        if (!schema) continue;
        validatorFor(`${method.toUpperCase()} ${template} ${code}`, schema);
        compiled++;
      }
    }
  }
  for (const [type, item] of Object.entries(parsed.webhooks)) {
    validatorFor(`webhook ${type}`, item.post.requestBody.content['application/json'].schema);
    compiled++;
  }
  assert.ok(compiled > 50, `compiled ${compiled} schemas`);
});
