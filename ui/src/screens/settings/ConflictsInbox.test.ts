import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type Conflict } from "../../lib/bindings";
import { ok } from "../../test/bindings";
import ConflictsInbox from "./ConflictsInbox.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const conflict: Conflict = {
  id: "c1",
  entity: "partner",
  entity_id: "p1",
  field: "account_notes",
  overwritten_value: "Prefers email",
  overwritten_by: "kim@vendor.example",
  written_value: "Call before noon",
  written_by: "cam@vendor.example",
  created_at: "2026-11-23T10:00:00.000Z",
  resolved_at: null,
  resolved_by: null,
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(commands.listConflicts).mockReturnValue(ok([conflict]));
  vi.mocked(commands.resolveConflict).mockReturnValue(ok(null));
});

describe("the conflicts inbox", () => {
  it("shows both values side by side and keeps the one picked", async () => {
    render(ConflictsInbox);
    await screen.findByText("Prefers email");
    expect(screen.getByText("Call before noon")).toBeTruthy();
    await fireEvent.click(screen.getAllByText("Keep this one")[0]);
    await waitFor(() => expect(commands.resolveConflict).toHaveBeenCalledWith("c1", "Prefers email"));
  });

  it("resolves with a merge of both texts", async () => {
    render(ConflictsInbox);
    const merged = await screen.findByLabelText("Or merge them");
    await fireEvent.input(merged, { target: { value: "Email, or call before noon" } });
    await fireEvent.click(screen.getByText("Use the merged text"));
    await waitFor(() =>
      expect(commands.resolveConflict).toHaveBeenCalledWith("c1", "Email, or call before noon"),
    );
  });
});
