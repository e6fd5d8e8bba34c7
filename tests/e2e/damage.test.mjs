// A database file damaged deep inside (a bad disk sector in the middle of the notes): the app
// still starts at once, since its first pages read, then the check of every page that runs after
// the first screen finds the damage, and the app says so and offers the backup, writing nothing.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RunningApp, demoDesk, tempDataDir } from "./app.mjs";

const dataDir = tempDataDir("damage");
const database = join(dataDir, "channel-desk.db");
let app;
let damaged;

describe("A database damaged deep inside", () => {
  before(() => {
    // Encrypted, and the day's backup taken (the way back), as the app's users have it.
    demoDesk(dataDir, 40, 4000);
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
