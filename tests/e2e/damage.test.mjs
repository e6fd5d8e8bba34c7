// A database file damaged deep inside (a bad disk sector in the middle of the notes): the app
// still starts at once, since its first pages read, then the check of every page that runs after
// the first screen finds the damage, and the app says so and offers the backup, writing nothing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI, RunningApp, tempDataDir } from "./app.mjs";

const DEMO = process.env.CDESK_DEMO_DB;
const dataDir = tempDataDir("damage");
const database = join(dataDir, "channel-desk.db");
let app;
let damaged;

describe("A database damaged deep inside", () => {
  before(() => {
    assert.ok(DEMO, "CDESK_DEMO_DB names the demo_db example binary (scripts/test-e2e.sh)");
    execFileSync(DEMO, [dataDir, "40", "4000"], { stdio: "ignore" });
    // Encrypted in place, and the day's backup taken, by the CLI (the backup is the way back).
    execFileSync(CLI, ["--data-dir", dataDir, "status"], { stdio: ["ignore", "ignore", "inherit"] });
    damaged = readFileSync(database);
    const middle = Math.floor(damaged.length / 2);
    for (let i = middle; i < middle + 8192; i++) damaged[i] ^= 0x5a;
    writeFileSync(database, damaged);
  });

  after(async () => {
    await app?.quit();
  });

  it("is found after the first screen, and the backup is offered", async () => {
    app = await RunningApp.launch(dataDir, { waitFor: "#h-damaged" });
    const s = app.s;
    const heading = await s.execute(`return document.querySelector("#h-damaged").textContent`);
    assert.match(heading, /cannot be opened/);
    const offered = await s.execute(`return document.querySelector("main").textContent`);
    assert.match(offered, /backup/i, "the backup is offered");
    assert.ok(readFileSync(database).equals(damaged), "nothing was written to the damaged file");
  });
});
