import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "./bindings";
import { ok } from "../test/bindings";
import { draft } from "./drafts";

vi.mock("./bindings", async () => {
  const m = await import("../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

describe("drafts", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves the last value once typing pauses, not every keystroke", async () => {
    const save = vi.mocked(commands.saveDraft);
    save.mockImplementation((key, body) => ok({ key, body, updated_at: "2026-11-23T10:00:00.000Z" }));
    const d = draft<{ title: string }>("note:new");
    d.save({ title: "K" });
    d.save({ title: "Ki" });
    d.save({ title: "Kickoff" });
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith("note:new", JSON.stringify({ title: "Kickoff" }));
  });

  it("flushes at once and restores what was saved", async () => {
    vi.mocked(commands.saveDraft).mockImplementation((key, body) =>
      ok({ key, body, updated_at: "2026-11-23T10:00:00.000Z" }),
    );
    vi.mocked(commands.getDraft).mockReturnValue(
      ok({ key: "k", body: '{"title":"Half"}', updated_at: "2026-11-23T10:00:00.000Z" }),
    );
    const d = draft<{ title: string }>("k");
    d.save({ title: "Half" });
    await d.flush();
    expect(commands.saveDraft).toHaveBeenCalled();
    await expect(d.load()).resolves.toEqual({ title: "Half" });
  });

  it("discarding forgets the draft and cancels a pending save", async () => {
    vi.mocked(commands.saveDraft).mockClear();
    const d = draft<{ title: string }>("k");
    d.save({ title: "gone" });
    await d.discard();
    await vi.advanceTimersByTimeAsync(1000);
    expect(commands.saveDraft).not.toHaveBeenCalled();
    expect(commands.discardDraft).toHaveBeenCalledWith("k");
  });
});
