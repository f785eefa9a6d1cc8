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

test('the webhook schemas take a well-formed event and refuse one that leaks the push token', () => {
  const { checkWebhookDelivery } = require(path.join(root, 'tests', 'integration', 'lib', 'openapi.js'));
  const livestream = {
    id: '3f2c9a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f', name: 'show', status: 'STARTED',
    streamKey: '0123456789abcdef0123456789abcdef',
    hlsPaths: ['http://127.0.0.1:8080/hls/0123456789abcdef0123456789abcdef/master.m3u8'],
    hlsSources: [{ name: 'origin', url: 'http://127.0.0.1:8080/hls/0123456789abcdef0123456789abcdef/master.m3u8' }],
    llHlsSources: [{ name: 'origin', url: 'http://127.0.0.1:8080/hls/0123456789abcdef0123456789abcdef/ll.m3u8' }],
    rmtpServer: 'rtmp://127.0.0.1:1935/live', rtmpServer: 'rtmp://127.0.0.1:1935/live',
    previewPlayback: 'http://127.0.0.1:8080/api/v1/livestreams/preview-playback/0123456789abcdef0123456789abcdef',
    startedAt: '2026-12-07T01:02:03.456Z', endedAt: null, createdAt: '2026-12-07T01:00:00.000Z',
    mediaServer: { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'embedded', type: 'EMBEDDED' },
    mediaServerId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', projectId: '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b',
  };
  const headers = {
    'webhook-id': 'evt_2b6a', 'webhook-timestamp': '1796605323',
    'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
    'ls-signature': `t=1796605323,v1=${'ab'.repeat(32)}`,
  };
  const event = { type: 'livestream.started', timestamp: '2026-12-07T01:02:03.456Z', sequence: 2, data: livestream };
  checkWebhookDelivery(event, headers);
  assert.throws(() => checkWebhookDelivery({ ...event, data: { ...livestream, pushToken: 'eyJ' } }, headers), /pushToken|additional|false schema/);
  assert.throws(() => checkWebhookDelivery({ ...event, type: 'media_server.online' }, headers), /does not match/);
  assert.throws(() => checkWebhookDelivery(event, { ...headers, 'ls-signature': 'v1=zz' }), /ls-signature/);
  assert.throws(() => checkWebhookDelivery({ ...event, type: 'webhook.unknown' }, headers), /not in docs/);
});
