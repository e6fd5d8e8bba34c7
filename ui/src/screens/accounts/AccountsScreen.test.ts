import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type AccountLine } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, dealLine, vocabulary } from "../../test/fixtures";
import AccountsScreen from "./AccountsScreen.svelte";
import { sortLines } from "./sort";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const at = "2026-11-23T10:00:00.000Z";

function line(name: string, over: Partial<AccountLine> = {}, carr = 0): AccountLine {
  return {
    account: {
      id: `a-${name}`,
      name,
      tier: "untiered",
      tier_notes: "",
      partner_id: "p1",
      owner: "ae@vendor.example",
      carr,
      currency: "USD",
      created_at: at,
      updated_at: at,
    },
    partner_name: "Northwind Cloud",
    open_deals: 0,
    open_pipeline: 0,
    pipeline_conversion: [],
    needs_tier: false,
    last_note: null,
    next_step: null,
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.listOpportunities).mockReturnValue(ok([dealLine()]));
});

describe("the accounts list", () => {
  it("sorts by a column either way, with missing values last", () => {
    const lines = [
      line("Initech", { open_pipeline: 500, next_step: { description: "Call", due_on: "2026-12-01" } }),
      line("Hooli", { open_pipeline: 900, partner_name: null }),
      line("Globex", { open_pipeline: 100, next_step: { description: "Demo", due_on: "2026-11-30" } }),
    ];
    const names = (l: AccountLine[]) => l.map((x) => x.account.name);
    expect(names(sortLines(lines, "pipeline", false))).toEqual(["Hooli", "Initech", "Globex"]);
    expect(names(sortLines(lines, "next_step", true))).toEqual(["Globex", "Initech", "Hooli"]);
    expect(names(sortLines(lines, "next_step", false))).toEqual(["Initech", "Globex", "Hooli"]);
    expect(names(sortLines(lines, "partner", true))).toEqual(["Globex", "Initech", "Hooli"]);
  });

  it("finds accounts, shows which need a tier, and saves a tier with its notes and CARR", async () => {
    vi.mocked(commands.accountLines).mockReturnValue(
      ok([line("Initech", { needs_tier: true, open_deals: 1, open_pipeline: 1_200_000 }), line("Hooli", {}, 900_000)]),
    );
    vi.mocked(commands.updateAccount).mockImplementation((c) => ok({ ...line("Initech").account, tier: c.tier as "tier1" }));
    render(AccountsScreen);
    const user = userEvent.setup();
    await screen.findByText("Initech");
    expect(screen.getByText("Needs a tier", { selector: ".pill" })).toBeTruthy();
    await user.type(screen.getByPlaceholderText("Find an account or partner…"), "init");
    expect(screen.queryByText("Hooli")).toBeNull();

    await user.click(screen.getByText("Initech"));
    const form = await screen.findByRole("form", { name: "Tier of Initech" });
    await user.selectOptions(within(form).getByLabelText("Tier"), "tier1");
    await user.type(within(form).getByLabelText("What the partner uncovered"), "2,000 developers");
    await user.click(within(form).getByText("Save account"));
    await waitFor(() => expect(commands.updateAccount).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateAccount).mock.calls[0][0]).toEqual(
      expect.objectContaining({
        account: "a-Initech",
        tier: "tier1",
        tier_notes: "2,000 developers",
        carr: null,
        currency: null,
      }),
    );
    expect(await screen.findByRole("list", { name: "Deals of Initech" })).toBeTruthy();
  });

  it("asks only for my accounts when Mine is ticked", async () => {
    vi.mocked(commands.accountLines).mockReturnValue(ok([]));
    render(AccountsScreen);
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("Mine"));
    await waitFor(() =>
      expect(commands.accountLines).toHaveBeenLastCalledWith(expect.objectContaining({ owner: "cam@vendor.example" })),
    );
  });

  it("shows each account's amounts in its currency, marks converted pipelines, and changes the currency", async () => {
    const conversion = [
      "Amounts in USD converted to EUR at the exchange rates in the rules: 1 EUR = 1.0845 USD (2026-12-01).",
      "No exchange rate for JPY: amounts in it are left out of these sums until an admin adds the rate to the rules.",
    ];
    const euro = line("Initech GmbH", { open_deals: 2, open_pipeline: 1_200_000, pipeline_conversion: conversion }, 900_000);
    euro.account.currency = "EUR";
    vi.mocked(commands.accountLines).mockReturnValue(ok([euro, line("Hooli", {}, 500_000)]));
    vi.mocked(commands.listOpportunities).mockReturnValue(ok([dealLine({ currency: "GBP", amount: 700_000 })]));
    vi.mocked(commands.updateAccount).mockImplementation(() => ok(euro.account));
    render(AccountsScreen);
    const user = userEvent.setup();
    const row = (await screen.findByText("Initech GmbH")).closest("a") as HTMLElement;
    expect(within(row).getByText("€9,000")).toBeTruthy();
    expect(row.textContent).toContain("€12,000");
    const mark = within(row).getByTestId("conversion-mark");
    expect(mark.title).toBe(conversion.join("\n"));
    expect(mark.classList.contains("warn")).toBe(true);
    const hooli = screen.getByText("Hooli").closest("a") as HTMLElement;
    expect(within(hooli).getByText("$5,000")).toBeTruthy();
    expect(within(hooli).queryByTestId("conversion-mark")).toBeNull();

    await user.click(screen.getByText("Initech GmbH"));
    const form = await screen.findByRole("form", { name: "Tier of Initech GmbH" });
    expect((within(form).getByLabelText("CARR EUR") as HTMLInputElement).value).toBe("9000");
    const deals = await screen.findByRole("list", { name: "Deals of Initech GmbH" });
    expect(deals.textContent).toContain("£7,000");
    expect(screen.getByRole("list", { name: "How the open pipeline was converted" }).textContent).toContain(
      "No exchange rate for JPY",
    );
    await user.selectOptions(within(form).getByLabelText("Currency"), "GBP");
    expect(within(form).getByLabelText("CARR GBP")).toBeTruthy();
    expect(within(form).getByTestId("account-currency-changed").textContent).toContain("deals already written keep theirs");
    await user.click(within(form).getByText("Save account"));
    await waitFor(() => expect(commands.updateAccount).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateAccount).mock.calls[0][0]).toEqual(
      expect.objectContaining({ account: "a-Initech GmbH", currency: "GBP", carr: null, tier: null }),
    );
  });
});
