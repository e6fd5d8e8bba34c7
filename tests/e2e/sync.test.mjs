// End to end with the real server: a CAM signs in from the desktop app (the refresh token goes
// to a real Secret Service), creates a partner and logs a call note, syncs; the regional manager
// signs in on a second profile of the app, syncs, and sees the partner and the note.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { ROOT, RunningApp, SCREENSHOT_ENV, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { Keys } from "./webdriver.mjs";

const STACK = process.env.CDESK_E2E_STACK;
const SERVER_BIN = process.env.CDESK_SERVER_BIN;
const PASSWORD = "correct horse battery staple";
const CAM = "cam@vendor.example";
const MANAGER = "emea.manager@vendor.example";
const PARTNER = "Fabrikam Data";
const NOTE = "Joint pitch to Contoso";

let stack;
let server;
let keyringEnv;
let app;

/** Starts PostgreSQL, the server with its users, and a keyring; resolves with their details. */
function startStack() {
  assert.ok(STACK && SERVER_BIN, "CDESK_E2E_STACK and CDESK_SERVER_BIN are set (scripts/test-e2e.sh)");
  stack = spawn(STACK, [SERVER_BIN, PASSWORD, `${CAM}:cam`, `${MANAGER}:manager:emea`], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((ok, fail) => {
    stack.once("exit", (code) => fail(new Error(`cdesk-e2e-stack exited (${code}) before it was ready`)));
    createInterface({ input: stack.stdout }).once("line", (line) => {
      try {
        ok(JSON.parse(line));
      } catch {
        fail(new Error(`cdesk-e2e-stack printed ${JSON.stringify(line)}, not its JSON line`));
      }
    });
  });
}

async function signIn(person, email) {
  await person.go("#/settings", 'form[aria-label="Sign in"]');
  await person.setValue('form[aria-label="Sign in"] input[type="url"]', server);
  await person.typeInto('form[aria-label="Sign in"] input[type="email"]', email);
  await person.typeInto('form[aria-label="Sign in"] input[type="password"]', PASSWORD);
  await person.click('form[aria-label="Sign in"] button[type="submit"]');
  await person.s.waitForText('footer[aria-label="Sync status"]', `Signed in as ${email}`);
}

/** "Sync now", then waits until nothing is left to push and a sync has succeeded. */
async function syncNow(person) {
  await person.click('footer[aria-label="Sync status"] button');
  await person.s.waitFor(
    "a finished sync",
    async () => {
      const footer = await person.textOf('footer[aria-label="Sync status"]');
      assert.doesNotMatch(footer, /Sync failed/);
      return /0 changes waiting to sync/.test(footer) && /Last synced/.test(footer);
    },
    30000,
  );
}

describe("Channel Desk with the real server", () => {
  before(async () => {
    const started = await startStack();
    server = started.server;
    keyringEnv = started.env;
  });

  after(async () => {
    await app?.quit();
    stack?.stdin.end();
  });

  it("a CAM signs in, logs a note and syncs it", async () => {
    app = await RunningApp.launch(tempDataDir("cam"), { env: { ...keyringEnv, ...SCREENSHOT_ENV } });
    const person = new Person(app.s);
    await signIn(person, CAM);

    await person.go("#/partners", "button.new");
    await person.click("button.new");
    await person.typeInto('form[aria-label="New partner"] input[name="name"]', PARTNER);
    await person.setValue('form[aria-label="New partner"] select[name="region"]', "emea");
    await app.s.execute(`document.querySelector('form[aria-label="New partner"] input[name="owner"]').value = ""`);
    await person.typeInto('form[aria-label="New partner"] input[name="owner"]', CAM);
    await person.click('form[aria-label="New partner"] button[type="submit"]');
    await app.s.waitForText("main h1", PARTNER);

    await app.s.keys(Keys.ctrl, "n");
    await person.typeInto('form[aria-label="Call note"] input[name="title"]', NOTE);
    await person.typeInto('input[name="partner"]', PARTNER);
    await person.typeInto('textarea[name="body"]', "They bring the data platform; we bring the licences.");
    await person.click('form[aria-label="Call note"] button[type="submit"]');
    await app.s.waitForText(".toasts", "Logged");

    await syncNow(person);
    await person.go("#/settings", "#h-account");
    await app.s.execute(`document.querySelectorAll(".toast button").forEach((b) => b.click())`);
    writeFileSync(join(ROOT, "docs", "screenshots", "settings-signed-in.png"), await app.s.screenshot());
    await app.quit();
    app = undefined;
  });

  it("the regional manager's app, a second profile, receives the note", async () => {
    app = await RunningApp.launch(tempDataDir("manager"), { env: { ...keyringEnv, ...SCREENSHOT_ENV } });
    const person = new Person(app.s);
    await signIn(person, MANAGER);
    await syncNow(person);

    await person.go("#/partners", '[data-testid="partner-list"]');
    await person.clickText('[data-testid="partner-list"] a', PARTNER);
    await person.click("#tab-coselling");
    await app.s.waitForText('[data-testid="notes-timeline"]', NOTE);
    assert.match(await person.textOf('[data-testid="notes-timeline"]'), /the licences/);
  });
});
