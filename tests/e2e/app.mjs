// Starts the real Channel Desk under tauri-driver (WebKitWebDriver), on a data directory of
// its own, and measures it: time from launch to interactive, memory of its processes.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session } from "./webdriver.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");

// Screenshots and performance numbers: into docs/ under `make docs`, else a scratch folder, so
// that `make test` leaves the working tree as it found it.
const SCRATCH = join(tmpdir(), "channel-desk-e2e");
export const SHOTS_DIR = process.env.CDESK_SHOTS_DIR || join(SCRATCH, "screenshots");
export const PERF_OUT = process.env.CDESK_PERF_OUT || join(SCRATCH, "perf.json");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
export const APP = process.env.CDESK_APP ?? join(TARGET, "release", "channel-desk");
export const CLI = process.env.CDESK_CLI ?? join(TARGET, "debug", "cdesk");
const DRIVER = process.env.TAURI_DRIVER ?? "tauri-driver";
const NATIVE = process.env.WEBKIT_WEBDRIVER ?? "/usr/bin/WebKitWebDriver";

/**
 * For suites that take screenshots: WebKitWebDriver's screenshot never answers while WebKit's
 * accelerated compositing is off, and the app turns it off by default on Linux (see
 * `linux_rendering_defaults` in src-tauri). The performance suite runs the default.
 */
export const SCREENSHOT_ENV = { WEBKIT_DISABLE_COMPOSITING_MODE: "0" };

/** The local day `days` from today, `YYYY-MM-DD`, as a date input takes it. */
export function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The program's fiscal year of today: it starts in February (FY27 = Feb 2026 – Jan 2027). */
export function fiscalYear() {
  const d = new Date();
  return d.getMonth() >= 1 ? d.getFullYear() + 1 : d.getFullYear();
}

export function tempDataDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `cdesk-e2e-${name}-`));
  // A run leaves nothing behind (the perf desk alone is ~650 MB); CDESK_E2E_KEEP=1 keeps the
  // data folders to look into after a failure.
  if (!process.env.CDESK_E2E_KEEP) process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Fills `dataDir` with `cdesk_core::demo` data: `demo_db` writes a plain database, then the
 * CLI encrypts it in place under a key in the run's keyring (and takes the day's backup), as the
 * first start after the upgrade to encryption would. Returns demo_db's summary and how long
 * the encryption took.
 */
export function demoDesk(dataDir, partners, notes) {
  const demo = process.env.CDESK_DEMO_DB;
  assert.ok(demo, "CDESK_DEMO_DB names the demo_db example binary (scripts/test-e2e.sh)");
  const summary = execFileSync(demo, [dataDir, String(partners), String(notes)], { encoding: "utf8" });
  const t0 = performance.now();
  // `status` prints a few lines (a summary of 100,000 notes would overflow the pipe's buffer).
  execFileSync(CLI, ["--data-dir", dataDir, "status"], { stdio: ["ignore", "ignore", "inherit"] });
  return { summary, encryptMs: performance.now() - t0 };
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForPort(port, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok || res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`tauri-driver did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A running app: its WebDriver session and the driver process. */
export class RunningApp {
  constructor(driver, session, dataDir, startMs) {
    this.driver = driver;
    this.s = session;
    this.dataDir = dataDir;
    this.startMs = startMs;
  }

  /** Launches the app on `dataDir` (with `env` added) and waits until the Today screen is up. */
  static async launch(dataDir, { waitFor = "main h1", timeout = 30000, env = {} } = {}) {
    const port = await freePort();
    const nativePort = await freePort();
    const driver = spawn(
      DRIVER,
      ["--port", String(port), "--native-port", String(nativePort), "--native-driver", NATIVE],
      {
        env: { ...process.env, ...env, CDESK_DATA_DIR: dataDir, NO_AT_BRIDGE: "1" },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    await waitForPort(port);
    const t0 = performance.now();
    const session = await Session.start(`http://127.0.0.1:${port}`, {
      alwaysMatch: { "tauri:options": { application: APP } },
    });
    await session.waitForCss(waitFor, timeout);
    const startMs = performance.now() - t0;
    return new RunningApp(driver, session, dataDir, startMs);
  }

  /** The app's process and its children (WebKit's web and network processes). */
  pids() {
    const roots = processes()
      .filter((pid) => {
        try {
          return (
            readlinkSync(`/proc/${pid}/exe`) === APP &&
            readFileSync(`/proc/${pid}/environ`, "utf8").includes(`CDESK_DATA_DIR=${this.dataDir}\0`)
          );
        } catch {
          return false; // gone, or not ours to read
        }
      });
    return descendants(...roots);
  }

  /**
   * Memory of each of the app's processes, in MB: resident (`rss`), split into anonymous
   * memory, pages of mapped files (the libraries, mostly) and shared memory; and proportional
   * (`pss`: each shared page divided among the processes that map it).
   */
  memory() {
    const mb = (kb) => Math.round(kb / 102.4) / 10;
    return this.pids().flatMap((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
        const kb = (text, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
        return [{
          name: /Name:\s+(\S+)/.exec(status)?.[1] ?? pid,
          rss: mb(kb(status, "VmRSS")),
          anon: mb(kb(status, "RssAnon")),
          file: mb(kb(status, "RssFile")),
          shmem: mb(kb(status, "RssShmem")),
          pss: mb(kb(rollup, "Pss")),
        }];
      } catch {
        return []; // exited
      }
    });
  }

  /** Resident memory of the app's processes, in MB. */
  rssMb() {
    return this.memory().reduce((sum, p) => sum + p.rss, 0);
  }

  /** Proportional memory (shared pages split between processes) of the app's processes, in MB. */
  pssMb() {
    return this.memory().reduce((sum, p) => sum + p.pss, 0);
  }

  /**
   * SIGKILLs the app and all it started (a crash, or the power cord), then ends the driver and
   * whatever it started. Resolves when all of them are gone.
   */
  async kill() {
    const pids = [...new Set([...this.pids(), ...descendants(String(this.driver.pid))])];
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // ended meanwhile
      }
    }
    this.driver.kill("SIGKILL");
    await new Promise((r) => (this.driver.exitCode !== null || this.driver.signalCode !== null ? r() : this.driver.once("exit", r)));
    while (pids.some(running)) await new Promise((r) => setTimeout(r, 20));
  }

  async quit() {
    const pids = this.pids();
    await this.s.quit();
    this.driver.kill("SIGTERM");
    await new Promise((r) => (this.driver.exitCode !== null ? r() : this.driver.once("exit", r)));
    // WebKitWebDriver can go before it has closed the app; what is left of it would hold the
    // test's output open and keep the test runner waiting. End it.
    await endProcesses(pids);
  }
}

function processes() {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p));
}

/** `roots` and every process below them. */
function descendants(...roots) {
  const parent = new Map();
  for (const pid of processes()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      // gone
    }
  }
  const tree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function running(pid) {
  try {
    // A zombie (state Z) has ended; only its parent's wait is missing.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGTERM to `pids`, then SIGKILL to any still running after 5 s; resolves when all ended. */
async function endProcesses(pids) {
  const signal = (sig) =>
    pids.filter(running).forEach((pid) => {
      try {
        process.kill(Number(pid), sig);
      } catch {
        // ended meanwhile
      }
    });
  signal("SIGTERM");
  const until = Date.now() + 5000;
  while (pids.some(running)) {
    if (Date.now() > until) {
      signal("SIGKILL");
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
