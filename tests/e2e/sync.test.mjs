// End to end with the real server: a CAM signs in from the desktop app (the refresh token goes
// to a real Secret Service), creates a partner and logs a call note, syncs; the regional manager
// signs in on a second profile of the app, syncs, and sees the partner and the note.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RunningApp, SCREENSHOT_ENV, SHOTS_DIR, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { PASSWORD, startStack } from "./stack.mjs";
import { Keys } from "./webdriver.mjs";

const CAM = "cam@vendor.example";
const MANAGER = "emea.manager@vendor.example";
const PARTNER = "Fabrikam Data";
const NOTE = "Joint pitch to Contoso";

let stack;
let app;

async function signIn(person, email) {
  await person.go("#/settings", 'form[aria-label="Sign in"]');
  await person.setValue('form[aria-label="Sign in"] input[type="url"]', stack.server);
  await person.typeInto('form[aria-label="Sign in"] input[type="email"]', email);
  await person.typeInto('form[aria-label="Sign in"] input[type="password"]', PASSWORD);
  await person.click('form[aria-label="Sign in"] button[type="submit"]');
  await person.s.waitForText('footer[aria-label="Sync status"]', `Signed in as ${email}`);
}

describe("Channel Desk with the real server", () => {
  before(async () => {
    stack = await startStack(`${CAM}:cam`, `${MANAGER}:manager:emea`);
  });

  after(async () => {
    await app?.quit();
    stack?.stop();
  });

  it("a CAM signs in, logs a note and syncs it", async () => {
    app = await RunningApp.launch(tempDataDir("cam"), { env: { ...stack.env, ...SCREENSHOT_ENV } });
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

    await person.syncNow();
    await person.go("#/settings", "#h-account");
    await app.s.execute(`document.querySelectorAll(".toast button").forEach((b) => b.click())`);
    mkdirSync(SHOTS_DIR, { recursive: true });
    writeFileSync(join(SHOTS_DIR, "settings-signed-in.png"), await app.s.screenshot());
    await app.quit();
    app = undefined;
  });

  it("the regional manager's app, a second profile, receives the note", async () => {
    app = await RunningApp.launch(tempDataDir("manager"), { env: { ...stack.env, ...SCREENSHOT_ENV } });
    const person = new Person(app.s);
    await signIn(person, MANAGER);
    await person.syncNow();

    await person.go("#/partners", '[data-testid="partner-list"]');
    await person.clickText('[data-testid="partner-list"] a', PARTNER);
    await person.click("#tab-coselling");
    await app.s.waitForText('[data-testid="notes-timeline"]', NOTE);
    assert.match(await person.textOf('[data-testid="notes-timeline"]'), /the licences/);
  });
});
