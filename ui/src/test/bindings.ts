// Test doubles for the generated bindings: every command is a vi.fn answering "ok" (tests set
// what each returns), events never fire unless a test emits them.
import { vi } from "vitest";
import type { AppError } from "../lib/bindings";

export function ok<T>(data: T) {
  return Promise.resolve({ status: "ok" as const, data });
}

export function fail(error: AppError) {
  return Promise.resolve({ status: "error" as const, error });
}

function listener() {
  return { listen: vi.fn(() => Promise.resolve(() => undefined)) };
}

/** A `commands` object whose every method is a mock; unknown names answer ok(null). */
export function mockCommands(): Record<string, ReturnType<typeof vi.fn>> {
  const fns: Record<string, ReturnType<typeof vi.fn>> = {};
  return new Proxy(fns, {
    get(target, name: string) {
      if (!(name in target)) target[name] = vi.fn(() => ok(null));
      return target[name];
    },
  });
}

export function mockEvents() {
  return { syncFinished: listener(), syncStarted: listener(), dataChanged: listener() };
}
