// The LL-HLS media playlists the renderer writes (ls::hls::renderLlMediaPlaylist,
// printed for the sample live-edge states by ll_playlist_samples) through a
// strict third-party parser: hls-parser in strict mode throws on anything
// RFC 8216bis forbids that it checks (part durations against PART-TARGET and
// the 85% floor, parts kept only near the live edge, hold-backs, the Skip
// Boundary, a preload hint when live, tag placement). The parsed result must
// give back the parts, the skipped-segment count and the rendition reports.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const HLS = require("hls-parser");

const tool = process.env.LS_LL_PLAYLIST_SAMPLES;

test("rendered LL playlists pass hls-parser in strict mode", { skip: !tool && "LS_LL_PLAYLIST_SAMPLES is not set" }, () => {
  const samples = JSON.parse(execFileSync(tool, { encoding: "utf8" }));
  assert.ok(samples.length >= 8);
  HLS.setOptions({ strictMode: true, silent: true });
  for (const sample of samples) {
    let playlist;
    try {
      playlist = HLS.parse(sample.text);
    } catch (e) {
      assert.fail(`${sample.name}: ${e.message}\n${sample.text}`);
    }
    const where = `${sample.name}\n${sample.text}`;
    assert.equal(playlist.isMasterPlaylist, false, where);
    assert.equal(playlist.version, 9, where);
    assert.equal(playlist.partTargetDuration > 0, true, where);
    assert.equal(playlist.lowLatencyCompatibility.canBlockReload, true, where);
    assert.ok(playlist.lowLatencyCompatibility.partHoldBack >= 3 * playlist.partTargetDuration - 1e-9, where);
    assert.ok(playlist.lowLatencyCompatibility.canSkipUntil >= 6 * playlist.targetDuration, where);

    // Delta updates: EXT-X-SKIP exactly when segments are skipped, and the
    // media sequence numbers after it continue from MEDIA-SEQUENCE + skipped.
    assert.equal(playlist.skip, sample.skipped, where);
    const complete = playlist.segments.filter((s) => s.uri);
    if (complete.length > 0) {
      assert.equal(complete[0].mediaSequenceNumber, playlist.mediaSequenceBase + sample.skipped, where);
      assert.equal(complete[0].uri, `seg${complete[0].mediaSequenceNumber}.m4s`, where);
    }
    // Every segment carries the init segment it was written for (a codec
    // change mid-stream gives the later ones another EXT-X-MAP).
    assert.deepEqual(complete.map((s) => s.map?.uri), sample.maps, where);

    // Parts come back with their URIs, durations and independence; the open
    // segment ends with the preload hint while live, never once ended.
    const parts = playlist.segments.flatMap((s) => s.parts);
    const listed = parts.filter((p) => !p.hint);
    const hints = parts.filter((p) => p.hint);
    assert.ok(listed.length > 0 || hints.length > 0, where);
    for (const p of listed) {
      assert.match(p.uri, /^seg\d+\.\d+\.m4s$/, where);
      assert.ok(p.duration > 0 && p.duration <= playlist.partTargetDuration, where);
      if (p.uri.endsWith(".0.m4s")) assert.equal(p.independent, true, where);
    }
    if (playlist.endlist) {
      assert.equal(hints.length, 0, where);
    } else {
      assert.equal(hints.length, 1, where);
      assert.equal(parts.at(-1).hint, true, where);
    }
    assert.ok(playlist.segments.filter((s) => s.parts.length > 0).length <= 3, where);

    // Rendition reports: relative URIs with LAST-MSN (and LAST-PART when given).
    assert.ok(playlist.renditionReports.length >= 1, where);
    for (const r of playlist.renditionReports) {
      assert.match(r.uri, /^\.\.\/[a-z0-9]+\/ll\.m3u8$/, where);
      assert.equal(Number.isInteger(r.lastMSN), true, where);
    }
    const first = playlist.renditionReports[0];
    assert.equal(Number.isInteger(first.lastPart), true, where);
  }
});
