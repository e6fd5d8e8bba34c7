// End to end, the desktop basics on the real app: the window comes back at the size and place
// it was left; a second launch on the same data folder hands over to the first window and exits
// before starting anything; a launch on another data folder (another profile) runs beside it;
// each profile logs to logs/channel-desk.log in its data folder; and "Show in folder" reveals
// only a file the app exported.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { APP, RunningApp, tempDataDir } from "./app.mjs";

const dataDir = tempDataDir("desktop");
const otherDir = tempDataDir("desktop-other");
const logFile = (dir) => join(dir, "logs", "channel-desk.log");
const STARTED = "Channel Desk started";
const HANDED_OVER = "another launch on this data folder";
let app;
const direct = [];

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

const count = (text, line) => text.split(line).length - 1;

/** The main window's state as the app saved it (null before the first save). */
function saved(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, "window-state.json"), "utf8")).main ?? null;
  } catch {
    return null;
  }
}

/** Polls `probe` until it is truthy; fails after `timeout` ms naming `what`. */
async function until(what, probe, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The app's own processes (not WebKit's) on `dir`. */
function appProcesses(dir) {
  return readdirSync("/proc").filter((pid) => {
    try {
      return (
        /^\d+$/.test(pid) &&
        readlinkSync(`/proc/${pid}/exe`) === APP &&
        readFileSync(`/proc/${pid}/environ`, "utf8").includes(`CDESK_DATA_DIR=${dir}\0`) &&
        !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")
      );
    } catch {
      return false;
    }
  });
}

/** Starts the binary itself on `dir`, as a person double-clicking it would. */
function launchDirect(dir) {
  const child = spawn(APP, [], {
    env: { ...process.env, CDESK_DATA_DIR: dir, NO_AT_BRIDGE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  direct.push(child);
  return { child, exited };
}

/** `promise`, or a failure naming `what` after `ms`. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe("The desktop app", () => {
  after(async () => {
    await app?.quit();
    for (const child of direct) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("comes back at the window size and place it was left at", async () => {
    app = await RunningApp.launch(dataDir);
    const first = await app.s.cmd("GET", "/window/rect");
    const wanted = { x: 90, y: 60, width: 1024, height: 700 };
    assert.notEqual(first.width, wanted.width, "the test must change the size");
    await app.s.cmd("POST", "/window/rect", wanted);
    const set = await app.s.cmd("GET", "/window/rect");
    assert.deepEqual(
      { width: set.width, height: set.height },
      { width: wanted.width, height: wanted.height },
      "the window took the size",
    );
    // Saved when the window has settled, not only at a clean exit.
    await until("the new size in window-state.json", () => {
      const s = saved(dataDir);
      return s && s.width === set.width && s.height === set.height && s.x === set.x && s.y === set.y;
    });
    await app.quit();

    app = await RunningApp.launch(dataDir);
    const again = await app.s.cmd("GET", "/window/rect");
    assert.deepEqual(again, set, "the same size and place as before the restart");
  });

  it("hands a second launch on the same data folder over to the first, which stays the only one", async () => {
    assert.equal(appProcesses(dataDir).length, 1, "one app runs");
    const second = launchDirect(dataDir);
    const { code, signal } = await within(15000, "the second launch's exit", second.exited);
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, "it exits cleanly");
    const log = await until("the first app's log of the handover", () => {
      const text = read(logFile(dataDir));
      return text.includes(HANDED_OVER) && text;
    });
    // Two launches through WebDriver; the third never started (no database, sync or timer).
    assert.equal(count(log, STARTED), 2, log);
    assert.equal(appProcesses(dataDir).length, 1, "the first app is still the only one");
    assert.ok(await app.s.find("main h1"), "the first app still answers");
  });

  it("will not reveal in the file manager a file it did not export", async () => {
    // "Show in folder" after an export calls show_in_folder; the webview has no opener
    // permission, so a path the app did not write is refused.
    const answer = await app.s.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke("show_in_folder", { path: "/etc/passwd" })
         .then(() => done("revealed"), (e) => done(e));`,
    );
    assert.deepEqual(answer, { code: "invalid", message: "/etc/passwd is not a file Channel Desk exported" });
  });

  it("runs a launch on another data folder (another profile) beside the first", async () => {
    const other = launchDirect(otherDir);
    const started = await within(
      30000,
      "the other profile's start",
      Promise.race([
        until("the other profile's log", () => read(logFile(otherDir)).includes(STARTED), 30000),
        other.exited.then(({ code, signal }) => {
          throw new Error(`the other profile exited (${code ?? signal})`);
        }),
      ]),
    );
    assert.ok(started);
    assert.equal(other.child.exitCode, null, "it keeps running");
    assert.equal(appProcesses(otherDir).length, 1);
    assert.equal(appProcesses(dataDir).length, 1, "beside the first");
    other.child.kill("SIGTERM");
    await other.exited;
  });
});
