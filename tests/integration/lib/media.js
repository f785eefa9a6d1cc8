// Real RTMP publishers (ffmpeg, GStreamer) and HLS readers (ffprobe) for the
// media-plane integration tests.
"use strict";
const { spawn, execFile } = require("node:child_process");
const { promisify } = require("node:util");
const execFileP = promisify(execFile);

// ffmpeg publishing a generated test pattern (testsrc + sine, libx264 + AAC,
// 2 s GOP at 30 fps unless `gop` frames say otherwise) in real time for `seconds`.
function ffmpegPublish(url, { seconds = 20, size = "640x360", video = true, audio = true, gop = 60 } = {}) {
  const args = ["-hide_banner", "-loglevel", "error", "-re"];
  if (video) args.push("-f", "lavfi", "-i", `testsrc=size=${size}:rate=30`);
  if (audio) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
  if (video) args.push("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", String(gop), "-keyint_min", String(gop), "-sc_threshold", "0");
  if (audio) args.push("-c:a", "aac", "-b:a", "96k");
  args.push("-t", String(seconds), "-f", "flv", url);
  return track(spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] }));
}

// GStreamer's rtmp2sink, an independent RTMP client implementation.
function gstPublish(location, { buffers = 300 } = {}) {
  const pipeline = [
    "videotestsrc", "is-live=true", `num-buffers=${buffers}`, "!", "video/x-raw,width=640,height=360,framerate=30/1", "!",
    "x264enc", "key-int-max=60", "tune=zerolatency", "speed-preset=ultrafast", "!", "h264parse", "!",
    "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", `location=${location}`,
    "audiotestsrc", "is-live=true", `num-buffers=${Math.round(buffers * 44100 / 1024 / 30)}`, "samplesperbuffer=1024", "!",
    "audioconvert", "!", "avenc_aac", "!", "aacparse", "!", "mux.",
  ];
  return track(spawn("gst-launch-1.0", ["-q", ...pipeline], { stdio: ["ignore", "ignore", "pipe"] }));
}

function track(proc) {
  proc.stderrText = "";
  proc.stderr.on("data", (c) => { proc.stderrText += c; });
  proc.done = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return proc;
}

async function ffprobe(url) {
  const { stdout } = await execFileP("ffprobe", ["-v", "error", "-rw_timeout", "10000000", "-show_streams", "-of", "json", url], { timeout: 30000 });
  return JSON.parse(stdout).streams;
}

// Polls fn until it returns a truthy value; bounded by timeoutMs.
async function waitFor(fn, { timeoutMs = 20000, intervalMs = 200, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

module.exports = { ffmpegPublish, gstPublish, ffprobe, waitFor };
