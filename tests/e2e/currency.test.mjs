// An EMEA CAM whose partner sells in euros, start to finish in the real app: she says so on the
// partner, plans in euros, adds the partner's customer and two deals (one the customer signs in
// dollars) and closes them won; the plan against actuals is in euros and leaves the dollar deal
// out, saying why, until the desk's admin adds the euro's rate in Settings › Rules; then it
// counts the deal converted and says at which rate, and the manager's roll-up is in dollars.
// `cdesk` reads the same sums from the laptop's database. Screenshots go to SHOTS_DIR.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RunningApp, SCREENSHOT_ENV, fiscalYear, isoDay, tempDataDir } from "./app.mjs";
import { Person } from "./person.mjs";
import { cdesk } from "./stack.mjs";

const PARTNER = "Lyon Partenaires";
const ACCOUNT = "Bistro Lumière";
const EURO_DEAL = "Lumière Platform";
const DOLLAR_DEAL = "Lumière US Add-on";
/** The run's keyring is in this process's environment (scripts/test-e2e.sh). */
const LOCAL = { env: {} };

const dataDir = tempDataDir("currency");
let app;
let s;
let person;

const shot = (name) => person.screenshot(name);
const pick = (css, text) => person.pick(css, text);

/** The text of a deal's row in the partner's opportunities table. */
async function dealRow(name) {
  return s.execute(
    `return document.querySelector('select[aria-label="Stage of ${name}"]')?.closest("tr")?.textContent ?? null`,
  );
}

async function openPartner(tab) {
  await person.go("#/partners", '[data-testid="partner-list"]');
  await person.clickText('[data-testid="partner-list"] a', PARTNER);
  await s.waitForText("main h1", PARTNER);
  await person.click(tab);
}

describe("A partner that sells in euros, from its plan to the roll-up in dollars", () => {
  before(async () => {
    cdesk(LOCAL, dataDir, ["partner", "add", PARTNER, "--type", "var_vad", "--track", "open", "--region", "emea", "--owner", "cam@vendor.example"]);
    app = await RunningApp.launch(dataDir, { env: SCREENSHOT_ENV });
    s = app.s;
    person = new Person(s);
  });

  after(async () => {
    await app?.quit();
  });

  it("says the partner sells in euros, and plans the year in them", async () => {
    await openPartner("#tab-overview");
    await person.clickText("button", "Edit partner");
    const form = 'form[aria-label="Edit partner"]';
    await pick(`${form} select[name="currency"]`, "EUR — Euro");
    await person.click(`${form} button[type="submit"]`);
    await s.waitForText(".toasts", `Saved ${PARTNER}`);
    await s.waitForText("main", "EUR — Euro");

    await person.click("#tab-plan");
    const plan = "form.plan";
    await s.waitForCss(`${plan} select[name="plan_currency"]`);
    assert.equal(
      await s.execute(`return document.querySelector('form.plan select[name="plan_currency"]').value`),
      "EUR",
      "a new plan is in the partner's currency",
    );
    await person.typeInto(`${plan} input[name="growth_arr"]`, "100000");
    await person.typeInto(`${plan} input[name="new_customer_arr"]`, "50000");
    await person.click(`${plan} button[type="submit"]`);
    await s.waitForText(".toasts", "Saved the FY");
  });

  it("adds the customer and two deals, one in dollars, and closes both won", async () => {
    await person.click("#tab-coselling");
    await person.clickText("summary", "Add an account or an opportunity");
    const account = 'form[aria-label="New account"]';
    await s.waitForText(`${account} select[name="account_currency"] option`, "The partner's (EUR)");
    await person.typeInto(`${account} input`, ACCOUNT);
    await person.click(`${account} button[type="submit"]`);
    await s.waitForText(".toasts", `Added account ${ACCOUNT}`);

    const deal = 'form[aria-label="New opportunity"]';
    for (const [name, kind, amount, currency] of [
      [EURO_DEAL, "new_business", "20000", null],
      [DOLLAR_DEAL, "add_on", "10800", "USD — United States dollar"],
    ]) {
      await pick(`${deal} select[name="account"]`, ACCOUNT);
      await person.typeInto(`${deal} input[name="deal_name"]`, name);
      await person.setValue(`${deal} select[name="type"]`, kind);
      await person.setValue(`${deal} select[name="segment"]`, "smb");
      if (currency) await pick(`${deal} select[name="currency"]`, currency);
      await person.typeInto(`${deal} input[name="amount"]`, amount);
      await person.typeInto(`${deal} input[name="iacv"]`, amount);
      await person.setValue(`${deal} input[name="close_date"]`, isoDay(0));
      await person.click(`${deal} button[type="submit"]`);
      await s.waitForText(".toasts", `Added opportunity ${name}`);
    }
    try {
      await s.waitFor("each deal in its currency", async () => {
        const [euro, dollar] = [await dealRow(EURO_DEAL), await dealRow(DOLLAR_DEAL)];
        return /€20,000/.test(euro ?? "") && /\$10,800/.test(dollar ?? "");
      });
    } catch (e) {
      console.log(`# the deals: ${await dealRow(EURO_DEAL)} | ${await dealRow(DOLLAR_DEAL)}`);
      await shot("failure");
      throw e;
    }

    for (const name of [EURO_DEAL, DOLLAR_DEAL]) {
      await person.setValue(`select[aria-label="Stage of ${name}"]`, "closed_won");
      const close = `form[aria-label="Close ${name}"]`;
      await person.typeInto(`${close} input`, "The bistro chain standardised on the platform");
      await person.click(`${close} button[type="submit"]`);
      await s.waitFor(`${name} closed won`, async () => /standardised/.test((await dealRow(name)) ?? ""));
    }
  });

  it("sees the plan in euros, the dollar deal left out until the admin adds the rate", async () => {
    await person.click("#tab-plan");
    await s.waitForText('[data-testid="actual-New-customer ARR"]', "€20,000 of €50,000 (40%)");
    await s.waitForText('[data-testid="actual-Growth ARR"]', "€0 of €100,000");
    await s.waitForText('[aria-labelledby="h-actuals"] ul[aria-label="How amounts were converted"]', "No exchange rate for EUR");

    // This desk has never signed in: it keeps its own rules, as an admin would.
    await person.go("#/settings", '[data-testid="exchange-rates"]');
    const add = 'form[aria-label="Add an exchange rate"]';
    await pick(`${add} select[name="currency"]`, "EUR — Euro");
    await person.typeInto(`${add} input[name="usd_per_unit"]`, "1.08");
    await person.click(`${add} button[type="submit"]`);
    await s.waitForText('[data-testid="rate-EUR"]', "1 EUR =");
    assert.equal(
      await s.execute(`return document.querySelector('input[aria-label="US dollars for 1 EUR"]').value`),
      "1.08",
    );
    await s.execute(`document.querySelector('[data-testid="exchange-rates"]').scrollIntoView()`);
    await shot("exchange-rates");

    await openPartner("#tab-plan");
    // $10,800 at 1.08 is €10,000.
    await s.waitForText('[data-testid="actual-Growth ARR"]', "€10,000 of €100,000 (10%)");
    assert.doesNotMatch(await person.textOf("form.plan"), /Restored unsaved changes/, "the plan was saved, not left half-edited");
    const how = await person.textOf('[aria-labelledby="h-actuals"] ul[aria-label="How amounts were converted"]');
    assert.match(how, /Amounts in USD converted to EUR at the exchange rates in the rules: 1 EUR = 1\.08 USD/);
    assert.doesNotMatch(how, /No exchange rate/);
    await shot("plan-actuals-euros");
  });

  it("shows the manager's roll-up in dollars, and cdesk reads the same sums", async () => {
    await person.go("#/rollup", "main h1");
    await person.setValue('select[name="scope"]', "everyone");
    // €150,000 of targets is $162,000; won: €20,000 ($21,600) and $10,800.
    await s.waitForText('[data-testid="rollup"]', "$32,400 / $162,000 (20%)");
    await s.waitForText('[data-testid="rollup-currency"]', "Amounts in USD");

    await app.quit();
    app = undefined;
    const actuals = cdesk(LOCAL, dataDir, ["plan", "actuals", "--partner", PARTNER, "--year", String(fiscalYear())]);
    assert.equal(actuals.currency, "EUR");
    assert.equal(actuals.new_customer_arr.actual, 2_000_000);
    assert.equal(actuals.growth_arr.actual, 1_000_000);
    const rollup = cdesk(LOCAL, dataDir, ["rollup", "--scope", "everyone"]);
    assert.equal(rollup.cams[0].arr_won, 3_240_000);
  });
});
