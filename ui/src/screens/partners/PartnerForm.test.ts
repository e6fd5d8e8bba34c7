import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import PartnerForm from "./PartnerForm.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("PartnerForm", () => {
  it("records and withdraws an invitation to become a Training Services Partner", async () => {
    const user = userEvent.setup();
    const acme = partner({ tsp_invited_on: "2026-07-01" });
    vi.mocked(commands.updatePartner).mockReturnValue(ok(acme));
    const onDone = vi.fn();
    render(PartnerForm, { partner: acme, onDone });

    const invited = screen.getByLabelText(/Invited to become a Training Services Partner on/);
    expect((invited as HTMLInputElement).value).toBe("2026-07-01");
    await user.clear(invited);
    await user.click(screen.getByRole("button", { name: "Save partner" }));
    expect(commands.updatePartner).toHaveBeenCalledWith(
      expect.objectContaining({ partner: acme.id, tsp_invited_on: "" }),
    );
    expect(onDone).toHaveBeenCalled();
  });

  it("asks nothing about an invitation when a partner is created", () => {
    render(PartnerForm, { onDone: vi.fn() });
    expect(screen.queryByLabelText(/Training Services Partner/)).toBeNull();
  });

  it("creates a partner selling in the currency picked", async () => {
    const user = userEvent.setup();
    vi.mocked(commands.createPartner).mockReturnValue(ok(partner({ id: "p9", name: "Fabrikam", currency: "EUR" })));
    render(PartnerForm, { onDone: vi.fn() });
    const currency = screen.getByLabelText("Sells in") as HTMLSelectElement;
    expect(currency.value).toBe("USD");
    // The common currencies first, then every other by code.
    expect(Array.from(currency.options).map((o) => o.text)).toEqual([
      "USD — United States dollar",
      "EUR — Euro",
      "GBP — Pound sterling",
      "JPY — Japanese yen",
      "AUD — Australian dollar",
      "BRL — Brazilian real",
      "NOK — Norwegian krone",
    ]);
    await user.type(screen.getByLabelText("Name"), "Fabrikam");
    await user.selectOptions(currency, "EUR");
    await user.click(screen.getByRole("button", { name: "Create partner" }));
    expect(commands.createPartner).toHaveBeenCalledWith(expect.objectContaining({ name: "Fabrikam", currency: "EUR" }));
  });

  it("changes the currency a partner sells in only when it is changed", async () => {
    const user = userEvent.setup();
    const acme = partner({ currency: "EUR" });
    vi.mocked(commands.updatePartner).mockReturnValue(ok(acme));
    const { unmount } = render(PartnerForm, { partner: acme, onDone: vi.fn() });
    const currency = screen.getByLabelText("Sells in") as HTMLSelectElement;
    expect(currency.value).toBe("EUR");
    await user.click(screen.getByRole("button", { name: "Save partner" }));
    expect(commands.updatePartner).toHaveBeenLastCalledWith(expect.objectContaining({ partner: acme.id, currency: null }));
    unmount();

    render(PartnerForm, { partner: acme, onDone: vi.fn() });
    await user.selectOptions(screen.getByLabelText("Sells in"), "GBP");
    expect(screen.getByTestId("partner-currency-changed").textContent?.replace(/\s+/g, " ")).toContain(
      "already written stay in theirs",
    );
    await user.click(screen.getByRole("button", { name: "Save partner" }));
    expect(commands.updatePartner).toHaveBeenLastCalledWith(expect.objectContaining({ partner: acme.id, currency: "GBP" }));
  });
});
