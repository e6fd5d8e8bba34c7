// Crash safety: the real app is SIGKILLed at 100 moments while it logs call notes and syncs
// them. After every kill each note it had confirmed is on disk, and a round's notes have no
// gaps (a note is started only once the previous one is confirmed); at the end one sync brings
// the server to exactly the laptop's notes, each applied once (its audit trail says so).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RunningApp, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { PASSWORD, apiAs, cdesk, startStack } from "./stack.mjs";

const CAM = "cam@vendor.example";
const ADMIN = "admin@vendor.example";
const PARTNER = "Crash Test Partner";
/** 100 in `make test`; fewer for a quick local run (`CDESK_CRASH_KILLS=5`). */
const KILLS = Number(process.env.CDESK_CRASH_KILLS ?? 100);
/** Kill moments spread over start-up, the first writes and the syncs that follow. */
const MAX_DELAY_MS = 1500;

// In the app's page: logs notes "Crash R-0", "Crash R-1"... one after another through the same
// command the note form uses, asking for a sync after every fourth; `window.__crash.acked`
// counts the notes the app has confirmed.
const WRITER = `
  const [round, author, partner] = arguments;
  const invoke = window.__TAURI_INTERNALS__.invoke;
  window.__crash = { acked: 0 };
  (async () => {
    for (let k = 0; ; k++) {
      await invoke("log_note", { input: {
        title: "Crash " + round + "-" + k, body: "Note " + k + " of round " + round,
        via_partner: false, partner, account: null, opportunity: null, author,
        occurred_at: null, next_steps: [],
      } });
      window.__crash.acked = k + 1;
      if (k % 4 === 3) invoke("sync_now").catch(() => {});
    }
  })().catch((e) => { window.__crash.error = String(e); });`;

let stack;
let app;

/** Deterministic pseudo-random delays, so a failure can be replayed. */
function* delays(seed) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x % MAX_DELAY_MS;
  }
}

/**
 * Every note title on the laptop, read with the command line (a process of its own), in its
 * largest pages: each run opens and checks the whole file, most of a round's time.
 */
function localTitles(dataDir) {
  const titles = [];
  let before;
  for (;;) {
    const page = cdesk(stack, dataDir, ["note", "list", "--limit", "1000", ...(before ? ["--before", before] : [])]);
    titles.push(...page.notes.map((n) => n.title));
    if (!page.next_before) return titles;
    before = page.next_before;
  }
}

/** Round number → the note numbers present, from titles "Crash R-K". */
function byRound(titles) {
  const rounds = new Map();
  for (const t of titles) {
    const m = /^Crash (\d+)-(\d+)$/.exec(t);
    assert.ok(m, `an unexpected note ${JSON.stringify(t)}`);
    const [r, k] = [Number(m[1]), Number(m[2])];
    rounds.set(r, [...(rounds.get(r) ?? []), k]);
  }
  return rounds;
}

describe("Channel Desk killed while it writes and syncs", () => {
  before(async () => {
    stack = await startStack(`${CAM}:cam`, `${ADMIN}:admin`);
  });

  after(async () => {
    await app?.quit();
    stack?.stop();
  });

  it(`loses no confirmed note over ${KILLS} SIGKILLs, and syncs each exactly once`, async () => {
    const dataDir = tempDataDir("crash");
    cdesk(stack, dataDir, ["partner", "add", PARTNER, "--type", "msp", "--track", "open", "--region", "emea", "--owner", CAM]);
    cdesk(stack, dataDir, ["login", "--server", stack.server, "--email", CAM], `${PASSWORD}\n`);

    const acked = new Map();
    let kept = new Map();
    const delay = delays(20261124);
    // Where a round's time goes, printed at the end.
    const spent = { launch: 0, writing: 0, kill: 0, check: 0 };
    let mark = performance.now();
    const lap = (phase) => {
      const now = performance.now();
      spent[phase] += now - mark;
      mark = now;
    };
    for (let round = 0; round < KILLS; round++) {
      app = await RunningApp.launch(dataDir, { env: stack.env });
      lap("launch");
      await app.s.execute(WRITER, [round, CAM, PARTNER]);
      const until = performance.now() + delay.next().value;
      let confirmed = 0;
      do {
        const state = await app.s.execute(`return window.__crash`);
        assert.equal(state.error, undefined, `round ${round}: logging a note failed`);
        confirmed = state.acked;
      } while (performance.now() < until);
      lap("writing");
      await app.kill();
      app = undefined;
      lap("kill");
      acked.set(round, confirmed);

      const rounds = byRound(localTitles(dataDir));
      const mine = (rounds.get(round) ?? []).sort((a, b) => a - b);
      assert.ok(mine.length >= confirmed, `round ${round}: ${confirmed} notes confirmed, ${mine.length} on disk`);
      assert.deepEqual(mine, [...mine.keys()], `round ${round}: the notes on disk have no gap`);
      for (const [r, ks] of kept) {
        assert.equal(rounds.get(r)?.length ?? 0, ks, `round ${r}'s notes are all still there after round ${round}`);
      }
      kept = new Map([...rounds].map(([r, ks]) => [r, ks.length]));
      lap("check");
    }
    const laptop = localTitles(dataDir);
    const perRound = Object.entries(spent).map(([k, ms]) => `${k} ${Math.round(ms / KILLS)} ms`);
    console.log(`# ${laptop.length} notes; a round on average: ${perRound.join(", ")}`);
    const confirmedTotal = [...acked.values()].reduce((a, b) => a + b, 0);
    assert.ok(confirmedTotal > KILLS, `the app wrote between kills (${confirmedTotal} notes confirmed)`);

    // One more start; its sync brings the server up to date.
    app = await RunningApp.launch(dataDir, { env: stack.env });
    await new Person(app.s).syncNow();
    await app.quit();
    app = undefined;
    const status = cdesk(stack, dataDir, ["status"]);
    assert.equal(status.pending, 0, "nothing is left in the outbox");
    assert.equal(status.last_error, null);

    // A second laptop of the CAM receives exactly the first one's notes.
    const fresh = tempDataDir("crash-fresh");
    cdesk(stack, fresh, ["login", "--server", stack.server, "--email", CAM], `${PASSWORD}\n`);
    cdesk(stack, fresh, ["sync"]);
    assert.deepEqual(localTitles(fresh).sort(), [...laptop].sort());

    // The server applied each note once: one audited creation per note, no mutation twice.
    const api = await apiAs(stack, ADMIN);
    const created = [];
    let beforeId;
    for (;;) {
      const page = await api("GET", `/v1/audit?kind=call_note&limit=500${beforeId ? `&before=${beforeId}` : ""}`);
      created.push(...page.entries.filter((e) => e.action === "upsert"));
      if (!page.next_before) break;
      beforeId = page.next_before;
    }
    assert.equal(created.length, laptop.length, "one applied change per note");
    assert.equal(new Set(created.map((e) => e.entity_id)).size, laptop.length, "each note once");
    assert.equal(
      new Set(created.map((e) => `${e.device_id}/${e.mutation_id}`)).size,
      created.length,
      "no mutation applied twice",
    );
  });
});
