// Seeds the admin bench: `count` livestreams spread over the given projects
// through the partner API (POST /api/v1/livestream), `concurrency` at a time.
// Usage: node seed.js API COUNT CONCURRENCY MEDIA_SERVER_ID KEY:PROJECT_ID...
"use strict";
const [api, countText, concText, mediaServerId, ...projects] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concText);
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    const [key, projectId] = projects[i % projects.length].split(":");
    const r = await fetch(`${api}/api/v1/livestream`, {
      method: "POST",
      headers: { "content-type": "application/json", "ls-api-key": key },
      body: JSON.stringify({ name: `bench-${i}`, projectId, mediaServerId }),
    });
    if (r.status !== 201) throw new Error(`livestream ${i}: ${r.status} ${await r.text()}`);
  }
}
Promise.all(Array.from({ length: concurrency }, worker)).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
