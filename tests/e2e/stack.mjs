// The server side of the signed-in suites: PostgreSQL, the real `cdesk-server` with its users
// and a real Secret Service, started by the testkit's `cdesk-e2e-stack`; and the `cdesk`
// command line on the same keyring.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { CLI } from "./app.mjs";

const STACK = process.env.CDESK_E2E_STACK;
const SERVER_BIN = process.env.CDESK_SERVER_BIN;
export const PASSWORD = "correct horse battery staple";

/** A running stack: `server` (its URL), `env` (the keyring's environment), `stop()`. */
export async function startStack(...users) {
  assert.ok(STACK && SERVER_BIN, "CDESK_E2E_STACK and CDESK_SERVER_BIN are set (scripts/test-e2e.sh)");
  const child = spawn(STACK, [SERVER_BIN, PASSWORD, ...users], {
    stdio: ["pipe", "pipe", "inherit"],
    // The server's request log would bury the test's own output; warnings and errors stay.
    env: { ...process.env, CDESK_LOG: process.env.CDESK_LOG ?? "warn" },
  });
  const started = await new Promise((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`cdesk-e2e-stack exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      try {
        ok(JSON.parse(line));
      } catch {
        fail(new Error(`cdesk-e2e-stack printed ${JSON.stringify(line)}, not its JSON line`));
      }
    });
  });
  return { server: started.server, env: started.env, stop: () => child.stdin.end() };
}

/**
 * Runs `cdesk --json ARGS` on `dataDir` with the stack's keyring (and `input` on stdin); returns
 * its parsed output, failing with its error output if it fails.
 */
export function cdesk(stack, dataDir, args, input = "") {
  const run = spawnSync(CLI, ["--json", "--data-dir", dataDir, ...args], {
    input,
    env: { ...process.env, ...stack.env },
    encoding: "utf8",
  });
  assert.equal(run.status, 0, `cdesk ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout.trim() ? JSON.parse(run.stdout) : null;
}

/** Calls the server's API as `email`: `(method, path, body?)` → parsed JSON. */
export async function apiAs(stack, email) {
  const login = await fetch(`${stack.server}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD, device_name: "e2e" }),
  });
  assert.equal(login.status, 200, `login ${email}: ${await login.clone().text()}`);
  const { access_token: token } = await login.json();
  return async (method, path) => {
    const res = await fetch(`${stack.server}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "x-cdesk-protocol": "1" },
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
}
