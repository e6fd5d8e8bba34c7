import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type BackupInfo } from "../../lib/bindings";
import { fail, ok } from "../../test/bindings";
import BackupsSection from "./BackupsSection.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const backup: BackupInfo = {
  file_name: "channel-desk-20261122T090000000Z.db",
  path: "/data/backups/channel-desk-20261122T090000000Z.db",
  taken_at: "2026-11-22T09:00:00.000Z",
  size_bytes: 2_400_000,
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(commands.listBackups).mockReturnValue(ok([backup]));
  vi.mocked(commands.restoreBackup).mockReturnValue(
    ok({
      restored_from: backup.path,
      replaced_kept_at: "/data/backups/channel-desk-replaced-20261123T100000000Z.db",
      device_id: "d2",
    }),
  );
});

describe("the backups section", () => {
  it("lists the backups with their size", async () => {
    render(BackupsSection);
    expect(await screen.findByText("2.3 MB")).toBeTruthy();
  });

  it("restores only after the person confirms", async () => {
    render(BackupsSection);
    await fireEvent.click(await screen.findByText("Restore…"));
    expect(screen.getByText("Restore this backup?")).toBeTruthy();
    expect(commands.restoreBackup).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByText("Cancel"));
    expect(commands.restoreBackup).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByText("Restore…"));
    await fireEvent.click(screen.getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(commands.restoreBackup).toHaveBeenCalledWith(backup.file_name));
  });

  it("shows why a restore was refused", async () => {
    vi.mocked(commands.restoreBackup).mockReturnValue(
      fail({ code: "invalid", message: "the backup x cannot be restored: damaged" }),
    );
    render(BackupsSection);
    await fireEvent.click(await screen.findByText("Restore…"));
    await fireEvent.click(screen.getByRole("button", { name: "Restore" }));
    expect((await screen.findByRole("alert")).textContent).toContain("cannot be restored");
  });

  it("backs up on demand and shows the new list", async () => {
    vi.mocked(commands.backupNow).mockReturnValue(ok(backup));
    render(BackupsSection);
    await screen.findByText("2.3 MB");
    await fireEvent.click(screen.getByText("Back up now"));
    await waitFor(() => expect(commands.listBackups).toHaveBeenCalledTimes(2));
  });
});
