import { render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { commands, events, type SyncOverview } from "../bindings";
import { ok } from "../../test/bindings";
import StatusBar from "../../screens/StatusBar.svelte";
import { sync } from "./sync.svelte";

vi.mock("../bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

function overview(running: boolean): SyncOverview {
  return {
    status: {
      pending: 120,
      last_success_at: null,
      last_attempt_at: null,
      last_error: null,
      open_conflicts: 0,
      rejected: 0,
      unapplied: 0,
      cursor: 0,
    },
    server: running ? "https://desk.example.com" : null,
    email: running ? "cam@vendor.example" : null,
    running,
  };
}

describe("the status bar while the saved session is resumed", () => {
  it("shows the person signed in once syncing starts, before the first sync ends", async () => {
    // The bar asked before the keyring was read: not signed in yet.
    vi.mocked(commands.syncOverview).mockReturnValue(ok(overview(false)));
    await sync.refresh();
    render(StatusBar);
    expect(screen.getByText("Offline: not signed in")).toBeTruthy();

    await sync.follow();
    const started = vi.mocked(events.syncStarted.listen).mock.lastCall![0];
    vi.mocked(commands.syncOverview).mockReturnValue(ok(overview(true)));
    started({ event: "sync-started", id: 1, payload: { email: "cam@vendor.example" } });
    await waitFor(() => expect(screen.getByText("Signed in as cam@vendor.example")).toBeTruthy());
    expect(screen.getByRole("button", { name: "Sync now" })).toBeTruthy();
  });
});
