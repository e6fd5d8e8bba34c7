import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type ImportReport } from "../../lib/bindings";
import { ok } from "../../test/bindings";
import ImportScreen from "./ImportScreen.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

function report(over: Partial<ImportReport> = {}): ImportReport {
  return {
    kind: "partners",
    rows_total: 2,
    rows_ok: 1,
    created: 1,
    updated: 0,
    errors: [{ line: 3, column: "Track", message: "track: \"Gold\" is not one of: open, select, distribution" }],
    columns: [
      { header: "Name", field: "name" },
      { header: "Track", field: "track" },
    ],
    preview: [
      ["Acme", "open"],
      ["Bad", "Gold"],
    ],
    committed: false,
    ...over,
  };
}

beforeEach(() => vi.clearAllMocks());

describe("CSV import", () => {
  it("previews the file with every row's error and will not import it", async () => {
    vi.mocked(commands.previewImport).mockReturnValue(ok(report()));
    render(ImportScreen);
    const file = new File(["Name,Track\nAcme,open\nBad,Gold\n"], "partners.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByLabelText("CSV file"), { target: { files: [file] } });
    await screen.findByText(/is not one of/);
    expect(commands.previewImport).toHaveBeenCalledWith("partners", "Name,Track\nAcme,open\nBad,Gold\n");
    expect((screen.getByText("Import 2 rows") as HTMLButtonElement).disabled).toBe(true);
  });

  it("imports a clean file", async () => {
    vi.mocked(commands.previewImport).mockReturnValue(ok(report({ errors: [], rows_ok: 2 })));
    vi.mocked(commands.runImport).mockReturnValue(ok(report({ errors: [], rows_ok: 2, committed: true })));
    render(ImportScreen);
    const file = new File(["Name,Track\nAcme,open\n"], "partners.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByLabelText("CSV file"), { target: { files: [file] } });
    await fireEvent.click(await screen.findByText("Import 2 rows"));
    await waitFor(() => expect(commands.runImport).toHaveBeenCalled());
    await screen.findByText("Imported.");
  });
});
