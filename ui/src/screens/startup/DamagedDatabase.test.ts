import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type BackupInfo } from "../../lib/bindings";
import { ok } from "../../test/bindings";
import DamagedDatabase from "./DamagedDatabase.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const newest: BackupInfo = {
  file_name: "channel-desk-20261123T090000000Z.db",
  path: "/data/backups/channel-desk-20261123T090000000Z.db",
  taken_at: "2026-11-23T09:00:00.000Z",
  size_bytes: 1000,
};
const older: BackupInfo = { ...newest, file_name: "channel-desk-20261122T090000000Z.db", taken_at: "2026-11-22T09:00:00.000Z" };

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(commands.restoreBackup).mockReturnValue(
    ok({ restored_from: newest.path, replaced_kept_at: "/data/backups/x.db", device_id: "d2" }),
  );
});

describe("the damaged-database start screen", () => {
  it("offers the newest backup and continues once it is restored", async () => {
    vi.mocked(commands.listBackups).mockReturnValue(ok([newest, older]));
    const onRestored = vi.fn();
    render(DamagedDatabase, { detail: "file is not a database", onRestored });
    expect(screen.getByText("Your database cannot be opened")).toBeTruthy();
    await fireEvent.click(await screen.findByText(/^Restore the backup of/));
    await waitFor(() => expect(onRestored).toHaveBeenCalled());
    expect(commands.restoreBackup).toHaveBeenCalledWith(newest.file_name);
  });

  it("says plainly when there is no backup", async () => {
    vi.mocked(commands.listBackups).mockReturnValue(ok([]));
    render(DamagedDatabase, { detail: "file is not a database", onRestored: vi.fn() });
    expect(await screen.findByText(/No backups were found/)).toBeTruthy();
    expect(screen.queryByText(/^Restore/)).toBeNull();
  });
});
