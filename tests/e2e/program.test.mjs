// The program as the handbook runs it, with the real server. An admin signs in and adds a track
// requirement in Settings › Rules; the CAM's app, after a sync, shows her partner short of it, and
// shows her the rules read-only. She asks for an NFR licence for the partner's contact (no
// certification yet: SA Core is encouraged), the help desk's verification and sending show, and
// the admin's laptop has it sent. Each person's curriculum progress is on the Enablement tab.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RunningApp, SCREENSHOT_ENV, isoDay, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { PASSWORD, cdesk, startStack } from "./stack.mjs";

const ADMIN = "admin@vendor.example";
const CAM = "cam@vendor.example";
const PARTNER = "Northwind Labs";
const CONTACT = "Ana Lima";

let stack;
let app;
let person;
let camDir;
let adminDir;

const tid = (id) => `[data-testid="${id}"]`;

async function signIn(email) {
  const form = 'form[aria-label="Sign in"]';
  await person.go("#/settings", form);
  await person.setValue(`${form} input[type="url"]`, stack.server);
  await person.typeInto(`${form} input[type="email"]`, email);
  await person.typeInto(`${form} input[type="password"]`, PASSWORD);
  await person.click(`${form} button[type="submit"]`);
  await person.s.waitForText('footer[aria-label="Sync status"]', `Signed in as ${email}`);
}

async function launch(dataDir) {
  app = await RunningApp.launch(dataDir, { env: { ...stack.env, ...SCREENSHOT_ENV } });
  person = new Person(app.s);
}

async function quit() {
  await app?.quit();
  app = undefined;
}

async function openPartner(tab) {
  await person.go("#/partners", tid("partner-list"));
  await person.clickText(`${tid("partner-list")} a`, PARTNER);
  await app.s.waitForText("main h1", PARTNER);
  await person.click(tab);
}

/** What the track needs, as the Enablement tab's compliance shows it. */
const trackNeeds = () => person.textOf(tid("compliance-track"));

describe("The program's rules and workflows, administered and synced", () => {
  before(async () => {
    stack = await startStack(`${ADMIN}:admin`, `${CAM}:cam`);
    camDir = tempDataDir("program-cam");
    adminDir = tempDataDir("program-admin");
    // The CAM's desk: a new Open partner with one person, who has taken the SDLC quiz.
    cdesk(stack, camDir, ["partner", "add", PARTNER, "--type", "msp", "--track", "open", "--region", "emea", "--owner", CAM]);
    cdesk(stack, camDir, ["person", "add", "--partner", PARTNER, "--name", CONTACT, "--email", "ana@northwind.example"]);
    cdesk(stack, camDir, [
      "cert", "add", "--partner", PARTNER, "--person", CONTACT, "--module", "GitLab SDLC Quiz",
      "--status", "certified", "--completed", isoDay(-3),
    ]);
    cdesk(stack, camDir, ["login", "--server", stack.server, "--email", CAM], `${PASSWORD}\n`);
    cdesk(stack, camDir, ["sync"]);
  });

  after(async () => {
    await quit();
    stack?.stop();
  });

  it("an admin signs in and adds a track requirement in Settings › Rules", async () => {
    const needs = () =>
      cdesk(stack, camDir, ["compliance", "--partner", PARTNER])[0].track.requirements.map((r) => r.certification_id);
    assert.ok(!needs().includes("pse"), "Open needs no PSE yet");
    await launch(adminDir);
    await signIn(ADMIN);
    await person.go("#/settings", "#h-rules");
    const table = tid("rules-track_requirement");
    await person.click(tid("rules-add-track_requirement"));
    await person.pick(tid("rules-new-track"), "Open");
    await person.pick(tid("rules-new-certification"), "Professional Services Engineer (PSE)");
    await person.setValue(tid("rules-new-count"), "1");
    await person.click(tid("rules-add-save-track_requirement"));
    await app.s.waitForText(table, "Professional Services Engineer (PSE)");
    // The same requirement again is refused, with what to do instead.
    await person.click(tid("rules-add-track_requirement"));
    await person.pick(tid("rules-new-track"), "Open");
    await person.pick(tid("rules-new-certification"), "Professional Services Engineer (PSE)");
    await person.setValue(tid("rules-new-count"), "2");
    await person.click(tid("rules-add-save-track_requirement"));
    await app.s.waitForText(tid("rules-error"), "Open already requires 1 certified in Professional Services Engineer (PSE)");
    await person.reveal(table);
    await person.screenshot("rules-admin");
    await person.syncNow();
    await quit();
  });

  it("the CAM sees the rules read-only and her partner now short of a PSE", async () => {
    await launch(camDir);
    await person.syncNow();
    await person.go("#/settings", "#h-rules");
    await app.s.waitForText(tid("rules-read-only"), "only a program admin edits the rules");
    await app.s.waitForText(tid("rules-track_requirement"), "Professional Services Engineer (PSE)");
    const editable = await app.s.execute(
      `const rules = document.querySelector("#h-rules").closest("section");
       return {
         inputs: rules.querySelectorAll("input, select, textarea").length,
         adds: rules.querySelectorAll('[data-testid^="rules-add"], [data-testid="rules-remove"]').length,
       };`,
    );
    assert.deepEqual(editable, { inputs: 0, adds: 0 }, "a CAM edits no rules");
    await openPartner("#tab-enablement");
    await app.s.waitFor("the admin's requirement", async () => /Professional Services Engineer/.test(await trackNeeds()));
    assert.match(await trackNeeds(), /Gap/, "the partner has no PSE yet");
  });

  it("asks for an NFR licence, which the help desk verifies and sends", async () => {
    await person.click("#tab-overview");
    await person.click(tid("nfr-request-open"));
    await person.pick(tid("nfr-contact-select"), `${CONTACT} (ana@northwind.example)`);
    await person.setValue(tid("nfr-seats"), "5");
    await person.typeInto(tid("nfr-purpose"), "Demo lab for the migration practice");
    await app.s.waitForText(tid("nfr-precheck"), `${CONTACT} is one of the people of ${PARTNER}`);
    await app.s.waitForText(tid("nfr-precheck"), "encourage");
    await person.click(tid("nfr-request-submit"));
    const row = `${tid("nfr-row")}[data-status="requested"]`;
    await app.s.waitForCss(row);
    await app.s.waitForText(tid("nfr-encouragement"), "Solution Architect Core");
    await person.reveal(tid("nfr-panel"));
    await person.screenshot("partner-nfr");
    await person.click(`${row} ${tid("nfr-verify")}`);
    await app.s.waitForCss(`${tid("nfr-row")}[data-status="verified"]`);
    await person.click(`${tid("nfr-row")}[data-status="verified"] ${tid("nfr-sent")}`);
    await app.s.waitForCss(`${tid("nfr-row")}[data-status="sent"]`);
    await person.syncNow();
  });

  it("shows each person's progress through the curriculum", async () => {
    await person.click("#tab-enablement");
    const ana = `${tid("curriculum-person")}[data-person="${CONTACT}"]`;
    await person.reveal(ana);
    const text = await person.textOf(ana);
    assert.match(text, /1\s*\/\s*\d+/, `one core module done: ${text}`);
    assert.match(text, /9\s*\/\s*9/, `the SDLC quiz's 9 points: ${text}`);
    await person.screenshot("partner-curriculum");
    await quit();
  });

  it("the admin's laptop has the licence sent", () => {
    cdesk(stack, adminDir, ["sync"]);
    const lines = cdesk(stack, adminDir, ["nfr", "list", PARTNER]);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].request.status, "sent");
    assert.equal(lines[0].request.requested_by, CAM);
  });
});
