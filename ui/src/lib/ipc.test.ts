import { describe, expect, it } from "vitest";
import { IpcError, codeOf, messageOf, unwrap } from "./ipc";

describe("unwrap", () => {
  it("returns the data of a command that succeeded", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok", data: 42 }))).resolves.toBe(42);
  });

  it("throws the command's error with its stable code and message", async () => {
    const pending = unwrap(
      Promise.resolve({
        status: "error" as const,
        error: { code: "invalid" as const, message: "due_on: not a date" },
      }),
    );
    await expect(pending).rejects.toBeInstanceOf(IpcError);
    const e = await pending.catch((x: unknown) => x);
    expect(codeOf(e)).toBe("invalid");
    expect(messageOf(e)).toBe("due_on: not a date");
  });
});

describe("messageOf", () => {
  it("reads errors of any shape as a sentence", () => {
    expect(messageOf(new Error("boom"))).toBe("boom");
    expect(messageOf("plain")).toBe("plain");
    expect(codeOf(new Error("x"))).toBeNull();
  });
});
