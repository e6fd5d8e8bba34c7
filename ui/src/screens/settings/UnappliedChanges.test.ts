import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type UnappliedChange } from "../../lib/bindings";
import { ok } from "../../test/bindings";
import UnappliedChanges from "./UnappliedChanges.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const unfit: UnappliedChange = {
  entity: "call_note",
  entity_id: "n-42",
  seq: 42,
  reason: "call_note: a call note that does not fit: missing field `created_at`",
  first_failed_at: "2026-12-07T09:00:00.000Z",
};

beforeEach(() => {
  vi.clearAllMocks();
});

describe("changes not applied here", () => {
  it("lists each with its record and why, saying that the rest keeps syncing", async () => {
    vi.mocked(commands.unappliedChanges).mockReturnValue(ok([unfit]));
    render(UnappliedChanges);
    expect(await screen.findByRole("heading", { name: /Not applied here/ })).toBeTruthy();
    expect(screen.getByText("n-42")).toBeTruthy();
    expect(screen.getByText(/missing field `created_at`/)).toBeTruthy();
    expect(screen.getByText(/everything else keeps\s+syncing/)).toBeTruthy();
  });

  it("shows nothing when every change fitted", async () => {
    vi.mocked(commands.unappliedChanges).mockReturnValue(ok([]));
    render(UnappliedChanges);
    await Promise.resolve();
    expect(commands.unappliedChanges).toHaveBeenCalled();
    expect(screen.queryByRole("heading", { name: /Not applied here/ })).toBeNull();
  });
});
