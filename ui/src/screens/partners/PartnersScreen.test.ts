import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import PartnersScreen from "./PartnersScreen.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("the partners list", () => {
  it("asks the core with the chosen filters", async () => {
    vi.mocked(commands.listPartners).mockReturnValue(
      ok([partner(), partner({ id: "p2", name: "Contoso", owner: "kim@vendor.example" })]),
    );
    render(PartnersScreen);
    await screen.findByText("Northwind Cloud");
    await fireEvent.change(screen.getByLabelText("Track"), { target: { value: "select" } });
    await waitFor(() =>
      expect(commands.listPartners).toHaveBeenLastCalledWith(expect.objectContaining({ track: "select" })),
    );
    await fireEvent.input(screen.getByLabelText("Search"), { target: { value: "north" } });
    await waitFor(() =>
      expect(commands.listPartners).toHaveBeenLastCalledWith(
        expect.objectContaining({ track: "select", name: "north" }),
      ),
    );
    const owners = [...(screen.getByLabelText("Owner") as HTMLSelectElement).options].map((o) => o.value);
    expect(owners).toEqual(["", "cam@vendor.example", "kim@vendor.example"]);
  });

  it("creates a partner with what was typed", async () => {
    vi.mocked(commands.listPartners).mockReturnValue(ok([]));
    vi.mocked(commands.createPartner).mockReturnValue(ok(partner({ id: "new", name: "Fabrikam" })));
    vi.mocked(commands.appInfo).mockReturnValue(ok(appInfo()));
    render(PartnersScreen);
    await fireEvent.click(screen.getByText("New partner"));
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Fabrikam" } });
    await fireEvent.click(screen.getByText("Create partner"));
    await waitFor(() =>
      expect(commands.createPartner).toHaveBeenCalledWith(
        expect.objectContaining({ name: "Fabrikam", track: "open", partner_types: ["var_vad"] }),
      ),
    );
  });
});
