// A small W3C WebDriver client over fetch: just what the end-to-end tests need to drive the
// real app through tauri-driver (which forwards to WebKitWebDriver).

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const POLL_MS = 50;

export class WebDriverError extends Error {}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, capabilities) {
    const res = await request(base, "POST", "/session", { capabilities });
    return new Session(base, res.sessionId);
  }

  async cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit() {
    try {
      await this.cmd("DELETE", "");
    } catch {
      // Already gone: nothing to end.
    }
  }

  async find(css) {
    const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return new Element(this, el[ELEMENT]);
  }

  async findAll(css) {
    const els = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return els.map((e) => new Element(this, e[ELEMENT]));
  }

  /** The first element matching `css` whose text contains `text` (null when none). */
  async findByText(css, text) {
    const found = await this.execute(
      `return [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.includes(arguments[1])) ?? null`,
      [css, text],
    );
    return found ? new Element(this, found[ELEMENT]) : null;
  }

  /** The text of the first element matching `css` ("" when none). */
  async textOf(css) {
    return this.execute(`return document.querySelector(arguments[0])?.textContent ?? ""`, [css]);
  }

  async execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }

  async keys(...keys) {
    const actions = [];
    for (const k of keys) actions.push({ type: "keyDown", value: k });
    for (const k of [...keys].reverse()) actions.push({ type: "keyUp", value: k });
    await this.cmd("POST", "/actions", {
      actions: [{ type: "key", id: "keyboard", actions }],
    });
    await this.cmd("DELETE", "/actions");
  }

  /** Waits until `probe` returns a truthy value (retrying on errors), up to `timeout` ms. */
  async waitFor(what, probe, timeout = 15000) {
    const until = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (e) {
        last = e;
      }
      if (Date.now() > until) {
        throw new WebDriverError(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
      }
      // Poll, don't spin: back-to-back WebDriver commands keep WebKit from running the page's
      // own timers (debounced saves, toasts) in between.
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  waitForCss(css, timeout) {
    return this.waitFor(`an element ${css}`, () => this.find(css), timeout);
  }

  waitForText(css, text, timeout) {
    return this.waitFor(`“${text}” in ${css}`, () => this.findByText(css, text), timeout);
  }
}

export class Element {
  constructor(session, id) {
    this.s = session;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.s.cmd(method, `/element/${this.id}${path}`, body);
  }

  /** The element as a script argument. */
  ref() {
    return { [ELEMENT]: this.id };
  }

  click() {
    return this.cmd("POST", "/click", {});
  }

  async type(text) {
    await this.cmd("POST", "/value", { text });
  }

  clear() {
    return this.cmd("POST", "/clear", {});
  }

  text() {
    return this.cmd("GET", "/text");
  }

  property(name) {
    return this.cmd("GET", `/property/${name}`);
  }
}

async function request(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ""}`);
  }
  return json.value;
}

export const Keys = { ctrl: "\uE009", enter: "\uE007", escape: "\uE00C", shift: "\uE008" };
