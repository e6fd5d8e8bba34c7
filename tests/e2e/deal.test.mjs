// A sales rep's deal, start to finish, in the real app: logs a call via the partner with a next
// step agreed with the partner, creates the deal and sees what R7 asks of it, corrects its
// segment and amount and sees the R7 flags change, attaches the pitch deck, closes it won with
// the reason, and sees it in the partner's plan against actuals; then tiers the account, now a
// customer; a manager finds the deal in the roll-up and drills into the partner; and the CAM
// exports the partner review for the QBR, which the test reads as the partner would.
// Screenshots go to SHOTS_DIR.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { RunningApp, SCREENSHOT_ENV, fiscalYear, isoDay, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { cdesk } from "./stack.mjs";
import { Keys } from "./webdriver.mjs";

const PARTNER = "Contoso Partners";
const ACCOUNT = "Fabrikam";
const DEAL = "Fabrikam Premium";
const REP = "rep@vendor.example";
const REASON = "Partner-led proof of value won the platform team";
const CHASED = "Contoso sends the customer reference";
/** The run's keyring is in this process's environment (scripts/test-e2e.sh). */
const LOCAL = { env: {} };

const dataDir = tempDataDir("deal");
let app;
let s;
let person;

const shot = (name) => person.screenshot(name);

/** The deal's row in the partner's opportunities table: its text and its R7 pills. */
async function dealRow() {
  return s.execute(
    `const select = document.querySelector('select[aria-label="Stage of ${DEAL}"]');
     const tr = select?.closest("tr");
     return tr ? {
       text: tr.textContent,
       plan: tr.querySelector('[data-testid="plan-missing"]')?.textContent.trim() ?? null,
       deck: !!tr.querySelector('[data-testid="deck-missing"]'),
     } : null;`,
  );
}

const pick = (css, text) => person.pick(css, text);

/** Exports the partner review in `format` to the exports folder; returns the file's path. */
async function exportReview(format) {
  await s.execute(`document.querySelectorAll(".toast button").forEach((b) => b.click())`);
  await person.setValue('[data-testid="review-format"]', format);
  await person.clickText('[role="group"][aria-label="Export the partner review"] button', "Save to exports folder");
  await s.waitForText(".toasts", `.${format}`);
  const toast = await person.textOf(".toasts");
  const path = toast.match(new RegExp(`Exported to (.*\\.${format})`))?.[1];
  assert.ok(path, `the toast names the file: ${toast}`);
  return path;
}

async function waitForRow(what, probe) {
  await s.waitFor(what, async () => {
    const row = await dealRow();
    return row !== null && probe(row);
  });
}

describe("A rep's deal, from the call to the plan's actuals", () => {
  before(async () => {
    cdesk(LOCAL, dataDir, ["partner", "add", PARTNER, "--type", "var_vad", "--track", "open", "--region", "emea", "--owner", "cam@vendor.example"]);
    cdesk(LOCAL, dataDir, ["plan", "set", "--partner", PARTNER, "--year", String(fiscalYear()), "--new-customer-arr", "50000", "--growth-arr", "80000"]);
    cdesk(LOCAL, dataDir, ["account", "add", ACCOUNT, "--owner", REP, "--partner", PARTNER]);
    cdesk(LOCAL, dataDir, ["next-step", "add", "--partner", PARTNER, "--description", CHASED, "--owner", "partner", "--due", isoDay(-3), "--agreed"]);
    app = await RunningApp.launch(dataDir, { env: SCREENSHOT_ENV });
    s = app.s;
    person = new Person(s);
  });

  after(async () => {
    await app?.quit();
  });

  it("creates the deal and sees what R7 asks of it", async () => {
    await person.go("#/partners", '[data-testid="partner-list"]');
    await person.clickText('[data-testid="partner-list"] a', PARTNER);
    await person.click("#tab-coselling");
    await person.clickText("summary", "Add an account or an opportunity");
    const form = 'form[aria-label="New opportunity"]';
    await pick(`${form} select[name="account"]`, ACCOUNT);
    await person.typeInto(`${form} input[name="deal_name"]`, DEAL);
    await person.setValue(`${form} select[name="segment"]`, "smb");
    await person.typeInto(`${form} input[name="amount"]`, "12000");
    await person.typeInto(`${form} input[name="iacv"]`, "12000");
    await person.setValue(`${form} input[name="close_date"]`, isoDay(20));
    await person.click(`${form} button[type="submit"]`);
    await s.waitForText(".toasts", `Added opportunity ${DEAL}`);
    // SMB, $12,000 of IACV: a full command plan and a custom pitch deck; no next step yet.
    await waitForRow("the deal with its R7 flags", (row) => row.plan === "Full required" && row.deck && /No next step/.test(row.text));
  });

  it("logs the call via the partner with a next step agreed with the partner", async () => {
    await s.keys(Keys.ctrl, "n");
    const note = 'form[aria-label="Call note"]';
    await person.typeInto(`${note} input[name="title"]`, "Fabrikam scoping call");
    await person.click('input[name="via_partner"]');
    await person.typeInto('input[name="partner"]', PARTNER);
    await person.typeInto('input[name="account"]', ACCOUNT);
    await pick(`${note} select[name="opportunity"]`, DEAL);
    await person.typeInto('textarea[name="body"]', "Contoso walked the platform team through the rollout.");
    await person.clickText("button", "Add next step");
    await person.typeInto('input[name="step_description_0"]', "Contoso sends the sizing");
    await person.click('input[name="step_agreed_0"]');
    await person.click(`${note} button[type="submit"]`);
    await s.waitForText(".toasts", "Logged");
    await waitForRow("the next step on the deal", (row) => !/No next step/.test(row.text));
  });

  it("corrects the segment and amount, sees the R7 flags change, and attaches the deck", async () => {
    await person.click(`button[aria-label="Edit ${DEAL}"]`);
    const deal = 'form[aria-label="Deal"]';
    await s.waitForCss(deal);
    await person.setValue(`${deal} select[name="segment"]`, "mid_market");
    await person.setValue(`${deal} input[name="amount"]`, "15000");
    await person.setValue(`${deal} input[name="iacv"]`, "15000");
    await shot("deal-editor");
    await person.click(`${deal} button[type="submit"]`);
    await s.waitForText(".toasts", `Saved ${DEAL}`);
    // Mid-market at $15,000: an overview plan (not a full one), and still the deck.
    await waitForRow("the mid-market R7 flags", (row) => row.plan === "Overview required" && row.deck && /Mid-Market/.test(row.text));

    await person.click(`button[aria-label="Edit ${DEAL}"]`);
    await s.waitForCss(deal);
    await person.typeInto(`${deal} input[name="pitch_deck_url"]`, "https://decks.vendor.example/fabrikam");
    await person.setValue(`${deal} input[name="close_date"]`, isoDay(0));
    await person.click(`${deal} button[type="submit"]`);
    await s.waitForText(".toasts", `Saved ${DEAL}`);
    await waitForRow("the deck no longer missing", (row) => !row.deck && row.plan === "Overview required");
  });

  it("as the CAM, chases the partner's overdue task from Today", async () => {
    await person.go("#/today", '[data-testid="overdue"]');
    const overdue = '[data-testid="overdue"]';
    await s.waitForText(`${overdue} li`, CHASED);
    assert.match(await person.textOf(overdue), /Chase: cam@vendor\.example/);
    await person.click(`${overdue} button[aria-label="Request an update on “${CHASED}”"]`);
    await person.setValue(`${overdue} input[name="chase_due"]`, isoDay(5));
    await person.typeInto(`${overdue} input[name="chase_message"]`, "Their legal team is reviewing it");
    await shot("today-chase");
    await person.clickText(`${overdue} button`, "Log the request");
    await s.waitForText(".toasts", `Logged “Update requested: ${CHASED}”`);
    await s.waitForText('[data-testid="due-soon"] li', CHASED);
    await s.waitForText('[data-testid="recent-notes"] li', `Update requested: ${CHASED}`);
    assert.doesNotMatch(await person.textOf(overdue), new RegExp(CHASED));
    await person.go("#/partners", '[data-testid="partner-list"]');
    await person.clickText('[data-testid="partner-list"] a', PARTNER);
    await person.click("#tab-coselling");
    await waitForRow("the deal on the partner's page", (row) => row.plan === "Overview required");
  });

  it("closes it won with the reason and sees it in the plan's actuals", async () => {
    await person.setValue(`select[aria-label="Stage of ${DEAL}"]`, "closed_won");
    const close = `form[aria-label="Close ${DEAL}"]`;
    await person.typeInto(`${close} input`, REASON);
    await shot("deal-closing");
    await person.click(`${close} button[type="submit"]`);
    await waitForRow("the deal closed won, R7 satisfied", (row) => row.text.includes(REASON) && row.plan === null);

    await person.click("#tab-plan");
    await s.waitForText('[data-testid="actual-New-customer ARR"]', "$15,000 of $50,000 (30%)");
    assert.match(await person.textOf('ul[aria-label="Won deals"]'), new RegExp(`${DEAL}[\\s\\S]*${REASON}`));
    // Slide 19 against the Open track: the plan commits no one, so both of its requirements show.
    assert.match(
      await person.textOf('ul[aria-label="Slide 19 gaps"]'),
      /Sales Core: not committed, the track and badges need 2\.[\s\S]*SA\) Core: not committed/,
    );
    await shot("plan-actuals");

    // The account: a customer now, so the CAM tiers it with what the partner uncovered.
    await person.go("#/accounts", '[data-testid="account-list"]');
    try {
      await person.clickText('[data-testid="account-list"] .name', ACCOUNT);
    } catch (e) {
      console.log(`# the Accounts screen: ${await s.execute(`return document.querySelector("main").innerText`)}`);
      await shot("failure");
      throw e;
    }
    const tier = `form[aria-label="Tier of ${ACCOUNT}"]`;
    await person.setValue(`${tier} select[name="tier"]`, "tier2");
    await person.setValue(`${tier} input[name="carr"]`, "15000");
    await person.typeInto(`${tier} textarea[name="tier_notes"]`, "Contoso found a second platform team");
    await person.click(`${tier} button[type="submit"]`);
    await s.waitForText(".toasts", `Saved ${ACCOUNT}`);
    await s.waitForText('[data-testid="account-list"]', "Tier 2");
    await s.waitForText(`aside[aria-label="Account ${ACCOUNT}"]`, DEAL);
    await shot("accounts");

    // The manager's roll-up: the CAM's partners against their targets; drill into the partner.
    await person.go("#/rollup", "main h1");
    await person.setValue('select[name="scope"]', "everyone");
    const rollup = '[data-testid="rollup"]';
    await s.waitForText(rollup, "$15,000 / $130,000 (12%)");
    await person.clickText(`${rollup} button`, "cam@vendor.example");
    await shot("rollup");
    await person.clickText(`${rollup} button`, PARTNER);
    await s.waitForText("main h1", PARTNER);

    // The partner review for the QBR: this quarter's won deal with its reason, the chase, the
    // plan against actuals; exported as HTML and PDF to send the partner.
    await person.click("#tab-review");
    await s.waitForText('[data-testid="review-won"]', REASON);
    await s.waitForText('[aria-labelledby="h-notes"]', `Update requested: ${CHASED}`);
    await s.waitForText('[data-testid="actual-New-customer ARR"]', "$15,000 of $50,000 (30%)");
    await shot("partner-review");
    const html = readFileSync(await exportReview("html"), "utf8");
    assert.match(html, new RegExp(`<title>${PARTNER} — Partner review, Q[1-4] FY\\d\\d</title>`));
    for (const part of [DEAL, REASON, `Update requested: ${CHASED}`, "$15,000.00 of $50,000.00", "Compliance as of"]) {
      assert.ok(html.includes(part), `the exported review reads ${part}`);
    }
    assert.doesNotMatch(html, /<script|src=|href=/, "the page stands alone");
    const pdf = readFileSync(await exportReview("pdf"));
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
    assert.ok(pdf.length > 10_000, `a PDF with its fonts embedded: ${pdf.length} bytes`);

    // The same, as the CAM's `cdesk` reads it from the laptop's database.
    await app.quit();
    app = undefined;
    const actuals = cdesk(LOCAL, dataDir, ["plan", "actuals", "--partner", PARTNER, "--year", String(fiscalYear())]);
    assert.equal(actuals.new_customer_arr.actual, 1_500_000);
    assert.equal(actuals.won[0].reason, REASON);
    const [account] = cdesk(LOCAL, dataDir, ["account", "list", "--partner", PARTNER]);
    assert.equal(account.account.tier, "tier2");
    assert.equal(account.account.carr, 1_500_000);
    assert.equal(account.needs_tier, false);
  });
});
