// End to end, on the real app (tauri-driver + WebKitWebDriver under Xvfb): a CAM creates a
// partner, plans its enablement and sees the compliance gap close; logs a call note with a next
// step due yesterday and sees it overdue on Today; finds it with search; quits mid-note and
// finds everything — the draft too — after a restart. Screenshots go to SHOTS_DIR
// (docs/screenshots/ under `make docs`).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RunningApp, SCREENSHOT_ENV, isoDay, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { Keys } from "./webdriver.mjs";

const PARTNER = "Northwind Cloud";
const NOTE = "Kickoff with Northwind";
const STEP = "Send the SOW to procurement";
const DRAFT_TITLE = "Half-written call with Northwind";

const dataDir = tempDataDir("desk");
let app;
let s;
let person;

const shot = (name) => person.screenshot(name);

const setValue = (css, value) => person.setValue(css, value);
const typeInto = (css, text) => person.typeInto(css, text);
const click = (css) => person.click(css);
const go = (hash, ready) => person.go(hash, ready);
const textOf = (css) => person.textOf(css);

async function clickText(css, text) {
  try {
    await person.clickText(css, text);
  } catch (e) {
    await shot("failure");
    throw e;
  }
}

async function partnerId() {
  return s.execute(`return location.hash.split("/")[2]`);
}

/** On the enablement tab: adds a person. */
async function addPerson(name, email) {
  await typeInto('input[name="person_name"]', name);
  await typeInto('input[name="person_email"]', email);
  await click('form[aria-labelledby="h-add-person"] button[type="submit"]');
  await s.waitForText("table th", name);
}

/** On the enablement tab: the offered certifications, label to id. */
function certifications() {
  return s.execute(
    `return Object.fromEntries([...document.querySelectorAll('select[name="plan_what"] option')].map(o => [o.textContent.trim(), o.value.split(":")[1]]))`,
  );
}

/** On the enablement tab: plans (or records, when certified today) a certification. */
async function planCertification(person, cert, status, target) {
  const lines = () => s.execute(`return document.querySelectorAll('section[aria-labelledby="h-lines"] tbody tr').length`);
  const before = await lines();
  const personValue = await s.execute(
    `return [...document.querySelectorAll('select[name="plan_person"] option')].find((o) => o.textContent.trim() === arguments[0])?.value`,
    [person],
  );
  await setValue('select[name="plan_person"]', personValue);
  await setValue('select[name="plan_what"]', `cert:${cert}`);
  await setValue('select[name="plan_status"]', status);
  if (target) await setValue('input[name="plan_target"]', target);
  if (status === "certified") {
    await s.waitForCss('input[name="plan_completed"]');
    await setValue('input[name="plan_completed"]', isoDay(0));
  }
  await click('form[aria-labelledby="h-plan-item"] button[type="submit"]');
  await s.waitFor(`${person}'s ${cert} in the plan`, async () => (await lines()) > before);
}

/** On the enablement tab: marks a planned certification certified. */
async function certify(label) {
  const css = `select[aria-label="${label}"]`;
  await s.waitForCss(css);
  await setValue(css, "certified");
  await s.waitFor(`${label} to be certified`, async () =>
    (await s.execute(`return document.querySelector(arguments[0])?.value`, [css])) === "certified",
  );
}

describe("Channel Desk, end to end", () => {
  before(async () => {
    app = await RunningApp.launch(dataDir, { env: SCREENSHOT_ENV });
    s = app.s;
    person = new Person(s);
    console.log(`# start to interactive (empty database): ${app.startMs.toFixed(0)} ms`);
  });

  after(async () => {
    await app?.quit();
  });

  it("creates a partner", async () => {
    console.log(`# page visibility: ${await s.execute("return document.visibilityState")}`);
    await shot("welcome");
    await go("#/partners", "button.new");
    await click("button.new");
    await typeInto('form[aria-label="New partner"] input[name="name"]', PARTNER);
    await setValue('form[aria-label="New partner"] select[name="track"]', "open");
    await setValue('form[aria-label="New partner"] select[name="region"]', "emea");
    await s.execute(`document.querySelector('form[aria-label="New partner"] input[name="owner"]').value = ""`);
    await typeInto('form[aria-label="New partner"] input[name="owner"]', "cam@vendor.example");
    await click('form[aria-label="New partner"] button[type="submit"]');
    await s.waitForText("main h1", PARTNER);
    await shot("partner-overview");
  });

  it("plans enablement and sees the compliance gap close", async () => {
    await click("#tab-enablement");
    await s.waitForCss('[data-testid="compliance-track"]');
    assert.match(await textOf('[data-testid="compliance-track"]'), /Gap/, "an Open partner with nobody certified has a gap");

    await addPerson("Ana Silva", "ana@northwind.example");
    await addPerson("Ben Okafor", "ben@northwind.example");
    const plan = planCertification;
    const certs = await certifications();
    const salesCore = certs["Sales Core"];
    const saLabel = Object.keys(certs).find((label) => label.includes("(SA)"));
    const saCore = certs[saLabel];
    assert.ok(salesCore && saCore, `certifications offered: ${JSON.stringify(certs)}`);

    await plan("Ana Silva", salesCore, "certified");
    await s.waitFor("Ana's certification", async () => (await textOf('[data-testid="compliance-track"]')).includes("1/2 certified"));
    await plan("Ben Okafor", salesCore, "planned", isoDay(30));
    await plan("Ana Silva", saCore, "planned", isoDay(45));
    await s.waitFor("the projected closing date", async () =>
      /Closes by/.test(await textOf('[data-testid="compliance-track"]')),
    );
    await shot("partner-enablement");

    // On Today the partner is listed with its gap.
    await go("#/today", '[data-testid="compliance-gaps"]');
    await s.waitForText('[data-testid="compliance-gaps"] li', PARTNER);

    // Both planned certifications are earned: the gap closes.
    const id = await (async () => {
      await go("#/partners", "button.new");
      await clickText('[data-testid="partner-list"] a', PARTNER);
      await s.waitForText("main h1", PARTNER);
      return partnerId();
    })();
    await go(`#/partners/${id}/enablement`, '[data-testid="compliance-track"]');
    for (const label of [`Status of Sales Core for Ben Okafor`, `Status of ${saLabel} for Ana Silva`]) {
      await certify(label);
    }
    await s.waitFor("the track to be compliant", async () =>
      /Compliant/.test(await textOf('[data-testid="compliance-track"]')),
    );
    await go("#/today", '[data-testid="compliance-gaps"]');
    await s.waitFor("the gap to leave Today", async () => !(await textOf('[data-testid="compliance-gaps"]')).includes(PARTNER));
  });

  it("writes and exports a business plan", async () => {
    await go("#/partners", "button.new");
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await click("#tab-plan");
    await typeInto('textarea[name="goals"]', "Grow the managed services practice in EMEA.");
    await typeInto('input[name="growth_arr"]', "250000");
    await typeInto('input[name="new_customer_arr"]', "120000");
    await click('form.plan button[type="submit"]');
    await s.waitForText(".toasts", "Saved the FY");
    await s.waitForText("form.plan", "Last saved");
    await clickText("button", "Save to exports folder");
    await s.waitForText(".toasts", "Exported to");
    const exported = readdirSync(join(dataDir, "exports"));
    assert.ok(exported.some((f) => f.endsWith(".md")), `an exported plan: ${exported}`);
    await shot("partner-plan");
  });

  it("plans three PSEs, sees when PSP closes, certifies them and gives the award from Today", async () => {
    await go("#/partners", "button.new");
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await s.waitForText("main h1", PARTNER);
    await click("#tab-enablement");
    await s.waitForCss('[data-testid="compliance-psp"]');
    const certs = await certifications();
    const pseLabel = Object.keys(certs).find((label) => label.includes("(PSE)"));
    const people = [
      ["Chen Wu", "chen@northwind.example"],
      ["Dana Ruiz", "dana@northwind.example"],
      ["Eli Moss", "eli@northwind.example"],
    ];
    for (const [name, email] of people) {
      await addPerson(name, email);
      await planCertification(name, certs[pseLabel], "planned", isoDay(20));
    }
    await s.waitFor("PSP's projected date", async () => /Closes by/.test(await textOf('[data-testid="compliance-psp"]')));
    for (const [name] of people) await certify(`Status of ${pseLabel} for ${name}`);
    await s.waitFor("PSP met", async () => /Compliant/.test(await textOf('[data-testid="compliance-psp"] h3')));

    // The CAM's award task: due within seven days, on Today.
    await go("#/today", '[data-testid="due-soon"]');
    const award = `Award Professional Services Partner (PSP) to ${PARTNER}`;
    await s.waitForText('[data-testid="due-soon"] li', award);
    await shot("today-award");
    await click(`[data-testid="due-soon"] button[aria-label^="Mark “${award}"]`);
    await s.waitForText(".toasts", `Badge awarded to ${PARTNER}`);
    await s.waitFor("the task to leave Today", async () => !(await textOf('[data-testid="due-soon"]')).includes(award));

    await go("#/partners", "button.new");
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await s.waitForCss('[data-badge="psp"] [data-state]');
    assert.match(await textOf('[data-badge="psp"]'), /Compliant/);
    assert.match(await textOf('[data-badge="psp"] [data-state]'), /Good standing/);
  });

  it("grants a badge a year back, records the evidence, the review the rules compute and an override", async () => {
    await go("#/partners", "button.new");
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await s.waitForText("main h1", PARTNER);
    await click("#tab-overview");
    const grant = 'form[aria-label="Grant a badge"]';
    await click('[data-testid="badge-actions"] summary');
    await s.waitForCss(grant);
    const tsp = await s.execute(
      `return [...document.querySelectorAll('select[name="grant_badge"] option')].find((o) => o.textContent.includes("Training"))?.value`,
    );
    assert.ok(tsp, "Training Services Partner can be granted");
    await setValue('select[name="grant_badge"]', tsp);
    // Granted a year ago: the first review falls this month, its evidence due since last month.
    await setValue('input[name="granted_on"]', isoDay(-365));
    await click(`${grant} button[type="submit"]`);
    const standing = `[data-badge="${tsp}"] [data-state]`;
    await s.waitForText(standing, "Evidence due");

    await setValue('select[name="evidence_badge"]', tsp);
    await typeInto('input[name="evidence_customers"]', "Initech, Globex");
    await click('form[aria-label="Record review evidence"] button[type="submit"]');
    await s.waitForText(standing, "Evidence sent");

    // The track is met, so the rules find the partner compliant: the review keeps it in good
    // standing until next year.
    await setValue('select[name="review_badge"]', tsp);
    assert.match((await textOf('[data-testid="computed-outcome"]')).replace(/\s+/g, " "), /find Northwind Cloud compliant/);
    await click('form[aria-label="Record a badge review"] button[type="submit"]');
    await s.waitForText(standing, "Good standing");

    // The CAM knows better than the rules: overridden, with the reason; a quarter of grace.
    await setValue('select[name="review_badge"]', tsp);
    await setValue('select[name="review_outcome"]', "not_compliant");
    await typeInto('input[name="review_reason"]', "No training delivered this year");
    await click('form[aria-label="Record a badge review"] button[type="submit"]');
    await s.waitForText(standing, "In grace until");
    await click(`[data-badge="${tsp}"] details summary`);
    const history = (await textOf(`[data-badge="${tsp}"] .history`)).replace(/\s+/g, " ");
    assert.match(history, /Evidence sent .*: Initech, Globex/);
    assert.match(history, /Reviewed .*: not compliant \(the rules found compliant; No training delivered this year\)/);
    await click('[data-testid="badge-actions"] summary');
    await s.execute(`document.getElementById("h-badges").scrollIntoView()`);
    await shot("partner-badges");

    await go("#/today", "#h-reviews");
    await s.waitForText('section[aria-labelledby="h-reviews"] tr', PARTNER);
    assert.match(await textOf('section[aria-labelledby="h-reviews"]'), /In grace until/);
  });

  it("records this week's PHD review of the new partner from Today, into its account notes", async () => {
    await go("#/today", '[data-testid="phd-reviews"]');
    const row = `[data-testid="phd-reviews"] li[data-partner="${PARTNER}"]`;
    await s.waitForCss(row);
    assert.match(await textOf(row), /Weekly \(onboarding\)/, "a partner in onboarding is reviewed every week");
    await clickText(`${row} button`, "Reviewed…");
    await typeInto(`${row} input[name="phd_note"]`, "Portal access set up for both sellers");
    await s.execute(`document.getElementById("h-phd").scrollIntoView()`);
    await shot("today-phd");
    await clickText(`${row} button`, "Save review");
    await s.waitFor("the review to leave the list", async () => !(await s.execute("return !!document.querySelector(arguments[0])", [row])));
    await go("#/partners", "button.new");
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await s.waitForText("main", "PHD review: Portal access set up for both sellers");
  });

  it("logs a note with a next step due yesterday and sees it overdue on Today", async () => {
    await go("#/today", "main h1");
    await s.keys(Keys.ctrl, "n");
    await typeInto('form[aria-label="Call note"] input[name="title"]', NOTE);
    await click('input[name="via_partner"]');
    await typeInto('input[name="partner"]', PARTNER);
    await typeInto('textarea[name="body"]', "Walked through the zebrafish migration plan with their architects.");
    await clickText("button", "Add next step");
    await typeInto('input[name="step_description_0"]', STEP);
    await setValue('input[name="step_due_0"]', isoDay(-1));
    await shot("note-dialog");
    await click('form[aria-label="Call note"] button[type="submit"]');
    await s.waitForText(".toasts", "Logged");

    await s.waitForText('[data-testid="overdue"] li', STEP);
    assert.match(await textOf('[data-testid="overdue"]'), /1 day overdue/);
    await s.waitForText('[data-testid="recent-notes"] li', `${NOTE} (ii)`);
    await shot("today");
  });

  it("finds the note with search", async () => {
    await s.keys(Keys.ctrl, "k");
    await typeInto('input[aria-label="Search"]', "zebrafish");
    await s.waitForText("#palette-results li", NOTE);
    assert.match(await textOf("#palette-results li:last-child"), /zebrafish/);
    assert.equal(await textOf("#palette-results mark"), "zebrafish", "the match is highlighted");
    await shot("search");
    await s.keys(Keys.enter);
    await s.waitForText("main h2", "Call notes");
    await s.waitForText('[data-testid="notes-timeline"]', NOTE);
    await shot("partner-coselling");
  });

  it("shows the other screens", async () => {
    await go("#/partners", '[data-testid="partner-list"]');
    await shot("partners");
    await go("#/import", "main h1");
    await shot("import");
    await go("#/settings", "#h-rules");
    await s.waitForCss('input[aria-label^="R7 threshold"]');
    await shot("settings");
    await s.execute(`document.documentElement.dataset.theme = "dark"`);
    await go("#/today", '[data-testid="overdue"]');
    await shot("today-dark");
    await s.execute(`delete document.documentElement.dataset.theme`);
  });

  it("keeps a half-written note across a quit, and everything else", async () => {
    await s.keys(Keys.ctrl, "n");
    await typeInto('form[aria-label="Call note"] input[name="title"]', DRAFT_TITLE);
    await typeInto('textarea[name="body"]', "Remember the pricing question");
    // "Saving draft…" from the first keystroke until the last one is stored.
    await s.waitForText('[data-testid="draft-status"]', "Draft saved");

    await app.quit();
    app = await RunningApp.launch(dataDir, { env: SCREENSHOT_ENV });
    s = app.s;
    person = new Person(s);
    console.log(`# start to interactive (restart): ${app.startMs.toFixed(0)} ms`);

    await s.waitForText('[data-testid="overdue"] li', STEP);
    await s.keys(Keys.ctrl, "n");
    const title = await s.waitForCss('form[aria-label="Call note"] input[name="title"]');
    await s.waitFor("the draft to be restored", async () => (await title.property("value")) === DRAFT_TITLE);
    await s.waitForText('form[aria-label="Call note"]', "Restored the note you were writing");
    await s.keys(Keys.escape);

    await go("#/partners", '[data-testid="partner-list"]');
    await clickText('[data-testid="partner-list"] a', PARTNER);
    await click("#tab-coselling");
    await s.waitForText('[data-testid="notes-timeline"]', NOTE);
    await click("#tab-enablement");
    await s.waitFor("compliance kept", async () => /Compliant/.test(await textOf('[data-testid="compliance-track"]')));
  });
});
