// What a person does with the app, over a WebDriver session: type, click, pick, go, read.
// Shared by the end-to-end suites.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS_DIR } from "./app.mjs";

export class Person {
  constructor(session) {
    this.s = session;
  }

  /** Sets a form control's value the way a person's edit would (input and change events). */
  async setValue(css, value) {
    const found = await this.s.execute(
      `const el = document.querySelector(arguments[0]);
       if (!el) return false;
       el.value = arguments[1];
       el.dispatchEvent(new Event("input", { bubbles: true }));
       el.dispatchEvent(new Event("change", { bubbles: true }));
       return true;`,
      [css, value],
    );
    assert.ok(found, `no control ${css}`);
  }

  /** Picks the option whose text is `text` in a select, as a person would. */
  async pick(css, text) {
    await this.s.waitForText(`${css} option`, text);
    await this.s.execute(
      `const sel = document.querySelector(arguments[0]);
       sel.value = [...sel.options].find((o) => o.textContent.trim() === arguments[1]).value;
       sel.dispatchEvent(new Event("change", { bubbles: true }));`,
      [css, text],
    );
  }

  /** Saves what the window shows as SHOTS_DIR/`name`.png, the passing messages dismissed
   * first, as a person would before looking at the screen. */
  async screenshot(name) {
    mkdirSync(SHOTS_DIR, { recursive: true });
    await this.s.execute(`document.querySelectorAll(".toast button").forEach((b) => b.click())`);
    await this.s.waitFor(
      "the messages to go",
      async () => (await this.s.execute(`return document.querySelectorAll(".toast").length`)) === 0,
    );
    writeFileSync(join(SHOTS_DIR, `${name}.png`), await this.s.screenshot());
  }

  /** Brings an element into view, so WebDriver can interact with it as a person would. */
  async reveal(css) {
    const el = await this.s.waitForCss(css);
    await this.s.execute(`document.querySelector(arguments[0])?.scrollIntoView({ block: "center" })`, [css]);
    return el;
  }

  async typeInto(css, text) {
    const el = await this.reveal(css);
    try {
      await el.click();
      await el.type(text);
    } catch (e) {
      throw new Error(`typing into ${css}: ${e.message}`);
    }
  }

  async click(css) {
    const el = await this.reveal(css);
    try {
      await el.click();
    } catch (e) {
      throw new Error(`clicking ${css}: ${e.message}`);
    }
  }

  async clickText(css, text) {
    const el = await this.s.waitForText(css, text);
    await this.s.execute(`arguments[0].scrollIntoView({ block: "center" })`, [el.ref()]);
    try {
      await el.click();
    } catch (e) {
      throw new Error(`clicking “${text}” in ${css}: ${e.message}`);
    }
  }

  async go(hash, ready) {
    await this.s.execute(`location.hash = arguments[0]`, [hash]);
    await this.s.waitForCss(ready);
  }

  async textOf(css) {
    await this.s.waitForCss(css);
    return this.s.textOf(css);
  }

  /** "Sync now", then waits until nothing is left to push and a sync has succeeded. */
  async syncNow() {
    await this.click('footer[aria-label="Sync status"] button');
    await this.s.waitFor(
      "a finished sync",
      async () => {
        const footer = await this.textOf('footer[aria-label="Sync status"]');
        assert.doesNotMatch(footer, /Sync failed/);
        return /0 changes waiting to sync/.test(footer) && /Last synced/.test(footer);
      },
      30000,
    );
  }
}
