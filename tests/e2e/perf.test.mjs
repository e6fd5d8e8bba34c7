// Performance of the real app with 1,000 partners and 100,000 notes (cdesk_core::demo):
// start to interactive under 1.5 s, memory of all its processes (WebKit's included) under
// 250 MB, and smooth scrolling of the partners list and a notes timeline (virtualized, paged).
// The numbers are printed and written to PERF_OUT (docs/perf.json under `make bench-desktop`
// and `make docs`, which run it at 100,000 notes; `make test` runs it at 5,000). The budgets fail
// the run only with CDESK_PERF_STRICT=1: on a shared 2-core machine the timings swing with the
// neighbours' load; what fails it always is a list that renders more than the rows in view.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { after, before, describe, it } from "node:test";
import { PERF_OUT, RunningApp, demoDesk, tempDataDir } from "./app.mjs";

const PARTNERS = Number(process.env.CDESK_PERF_PARTNERS ?? 1000);
const NOTES = Number(process.env.CDESK_PERF_NOTES ?? 100000);
const START_BUDGET_MS = 1500;
const RSS_BUDGET_MB = 250;

const STRICT = process.env.CDESK_PERF_STRICT === "1";
const results = { partners: PARTNERS, notes: NOTES };

/** Checks a budget: fails the run when strict, else records the miss. */
function budget(ok, message) {
  if (STRICT) assert.ok(ok, message);
  else if (!ok) (results.over_budget ??= []).push(message);
}
const dataDir = tempDataDir("perf");
let app;
let busiest;

/** Scrolls `css` for `frames` animation frames; returns frame-time statistics in ms. */
async function scrollFrames(s, css, frames, step) {
  return s.executeAsync(
    `const [css, frames, step, done] = arguments;
     const el = document.querySelector(css);
     if (!el) { done({ error: "no " + css }); return; }
     const times = [];
     let last = performance.now();
     let n = 0;
     function tick(now) {
       times.push(now - last);
       last = now;
       el.scrollTop += step;
       el.dispatchEvent(new Event("scroll"));
       if (++n < frames) requestAnimationFrame(tick);
       else {
         times.shift();
         times.sort((a, b) => a - b);
         const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
         done({ frames: times.length, p50: p(0.5), p95: p(0.95), max: times[times.length - 1],
                rows: el.querySelectorAll("[data-index]").length, scrolled: el.scrollTop });
       }
     }
     requestAnimationFrame(tick);`,
    [css, frames, step],
  );
}

describe(`Performance with ${PARTNERS} partners and ${NOTES} notes`, () => {
  before(() => {
    const { summary: out, encryptMs } = demoDesk(dataDir, PARTNERS, NOTES);
    console.log(`# ${out.trim().replaceAll("\n", "\n# ")}`);
    results.encrypt_in_place_ms = Math.round(encryptMs);
    console.log(`# encrypted in place (and backed up) by cdesk in ${results.encrypt_in_place_ms} ms`);
    busiest = /busiest partner: (\S+) \((\d+) notes\)/.exec(out);
    assert.ok(busiest, "the demo names its busiest partner");
    results.timeline_notes = Number(busiest[2]);
  });

  after(async () => {
    await app?.quit();
    mkdirSync(dirname(PERF_OUT), { recursive: true });
    writeFileSync(PERF_OUT, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`# ${JSON.stringify(results)}`);
  });

  it("starts to interactive within 1.5 s", async () => {
    // The first launch warms the page cache; the person's every later start is the second.
    const cold = await RunningApp.launch(dataDir);
    results.cold_start_ms = Math.round(cold.startMs);
    await cold.quit();
    // Interactive: the window answers (navigation, Ctrl+N); Today's lists fill in after.
    app = await RunningApp.launch(dataDir);
    results.start_to_interactive_ms = Math.round(app.startMs);
    const t0 = performance.now();
    await app.s.waitForCss('[data-testid="overdue"]');
    results.start_to_today_data_ms = Math.round(app.startMs + performance.now() - t0);
    budget(
      app.startMs < START_BUDGET_MS,
      `start to interactive ${app.startMs.toFixed(0)} ms exceeds ${START_BUDGET_MS} ms`,
    );
  });

  it("scrolls the partners list smoothly", async () => {
    const s = app.s;
    await s.execute(`location.hash = "#/partners"`);
    await s.waitFor("the whole list", async () =>
      (await s.execute(`return document.querySelector('[aria-label="Partners"]')?.getAttribute("data-count")`)) === String(PARTNERS),
    );
    const stats = await scrollFrames(s, '[aria-label="Partners"]', 120, 300);
    results.partners_scroll = stats;
    assert.ok(stats.rows < 80, `only the rows in view are rendered (${stats.rows})`);
    budget(stats.p95 < 50, `partners list: p95 frame ${stats.p95.toFixed(1)} ms`);
  });

  it("scrolls a notes timeline smoothly, loading pages as it goes", async () => {
    const s = app.s;
    await s.execute(`location.hash = arguments[0]`, [`#/partners/${busiest[1]}/coselling`]);
    await s.waitForCss('[aria-label="Call notes"] [data-index]');
    const stats = await scrollFrames(s, '[aria-label="Call notes"]', 240, 400);
    results.notes_scroll = stats;
    results.notes_loaded = Number(
      await s.execute(`return document.querySelector('[aria-label="Call notes"]').getAttribute("data-count")`),
    );
    budget(stats.p95 < 50, `notes timeline: p95 frame ${stats.p95.toFixed(1)} ms`);
  });

  it("stays under 250 MB of memory, WebKit's processes included", async () => {
    const s = app.s;
    await s.execute(`location.hash = "#/today"`);
    await s.waitForCss('[data-testid="overdue"]');
    const pids = app.pids();
    results.processes = pids.length;
    results.rss_mb = Math.round(app.rssMb());
    results.pss_mb = Math.round(app.pssMb());
    results.memory_by_process = app.memory();
    assert.ok(pids.length >= 2, `the app and its web process: ${pids}`);
    budget(results.rss_mb < RSS_BUDGET_MB, `RSS ${results.rss_mb} MB (PSS ${results.pss_mb} MB)`);
  });
});
