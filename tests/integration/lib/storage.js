// Storage faults for the integration tests: the server's test-only fault
// file (LUNARSTREAM_TEST_FAULT_FILE, docs/testing.md), and a really full
// filesystem on a small tmpfs where the test may mount one (root).
"use strict";
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { promisify } = require("node:util");
const { tempDir } = require("./server");

const execFileP = promisify(execFile);

// A fault file the server reads on every database write: set("full"),
// set("readonly"), set("") for none. Pass `env` to startServer.
function faultFile() {
  const dir = tempDir("ls-fault-");
  const file = path.join(dir, "fault");
  fs.writeFileSync(file, "");
  return {
    env: { LUNARSTREAM_TEST_FAULT_FILE: file },
    set: (fault) => fs.writeFileSync(file, fault),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// Mounts a tmpfs of `size` (e.g. "2m") on a fresh directory. Resolves
// { dir, unmount } or { reason } when this process may not mount (not root,
// no mount permission in the container, no mount binary).
async function mountTmpfs(size) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return { reason: "mounting a tmpfs needs root" };
  const dir = tempDir("ls-tmpfs-");
  try {
    await execFileP("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir], { timeout: 10000 });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs here: ${(e.stderr || e.message).trim()}` };
  }
  const unmount = async () => {
    try {
      await execFileP("umount", [dir], { timeout: 10000 });
    } catch {
      await execFileP("umount", ["-l", dir], { timeout: 10000 }); // something still holds a file open
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, unmount };
}

// Writes a filler file in `dir` until the filesystem answers ENOSPC, down to
// its last block. Returns the filler's path.
function fillFilesystem(dir) {
  const file = path.join(dir, "filler");
  const fd = fs.openSync(file, "w");
  try {
    for (const size of [1 << 16, 512]) {
      const chunk = Buffer.alloc(size, 0x5a);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        if (e.code !== "ENOSPC") throw e;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

module.exports = { faultFile, mountTmpfs, fillFilesystem };
