// The README's first ten minutes, end to end against the real binary: a
// livestream created with the client, an endpoint registered for
// livestream.started, ffmpeg publishing with the OBS settings the client
// returned, and the delivery verified by verifyWebhook.
import test from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";

import { LunarStream, verifyWebhook } from "../dist/index.js";

const require = createRequire(import.meta.url);
const { cli, startServer, partnerProject } = require("../../../tests/integration/lib/server.js");
const { ffmpegPublish } = require("../../../tests/integration/lib/media.js");

test("a partner receives livestream.started, verified, for the stream it created", async (t) => {
  const received = [];
  let arrived;
  const started = new Promise((resolve) => { arrived = resolve; });
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
      arrived();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  t.after(() => receiver.close());

  // Loopback receivers are refused unless the operator allows private targets.
  const server = await startServer({ env: { LUNARSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true" } });
  t.after(() => server.stop());
  const project = await partnerProject(server, "Partner");
  const url = `http://127.0.0.1:${receiver.address().port}/hooks/lunarstream`;
  const added = await cli(["webhook", "add", "--project", project.projectId, "--url", url,
    "--events", "livestream.started", "--json", ...server.storeArgs]);
  assert.equal(added.code, 0, added.stderr);
  const { secret } = JSON.parse(added.stdout);
  assert.match(secret, /^whsec_/);

  const ls = new LunarStream({ baseUrl: server.url(""), apiKey: project.key, projectId: project.projectId });
  const [mediaServer] = await ls.mediaServers.available();
  const stream = await ls.livestreams.create({ name: "Launch event", mediaServerId: mediaServer.id });
  // What OBS would be given: Server + Stream Key.
  const publisher = ffmpegPublish(`${stream.rtmpServer}/${stream.streamKeyWithParams}`, { seconds: 30 });
  t.after(() => publisher.kill("SIGKILL"));

  await started;
  assert.equal(received.length, 1, "only the subscribed type is sent");
  const [delivery] = received;
  const event = verifyWebhook(delivery.headers, delivery.body, secret);
  assert.equal(event.type, "livestream.started");
  assert.equal(event.data.id, stream.id);
  assert.equal(event.data.status, "STARTED");
  assert.equal(event.sequence, 1, "the first event of this stream a subscriber got");
  assert.equal(event.data.pushToken, undefined, "events carry no secrets");
  // The same bytes fail with another project's secret.
  assert.throws(() => verifyWebhook(delivery.headers, delivery.body, "whsec_" + Buffer.alloc(24).toString("base64")));
});
