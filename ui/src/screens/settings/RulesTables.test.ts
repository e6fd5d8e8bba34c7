import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type RuleBook } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, vocabulary } from "../../test/fixtures";
import RulesTables from "./RulesTables.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const book: RuleBook = {
  certifications: [{ id: "c-pse", name: "PSE", validity_months: 24, sort_order: 1 }],
  track_requirements: [{ id: "tr1", track: "select", certification_id: "c-pse", count: 2 }],
  badges: [
    {
      id: "b-sec",
      name: "Security",
      requires_track_compliance: true,
      review_every_months: 12,
      evidence_lead_months: 1,
      grace_months: 3,
    },
  ],
  badge_requirements: [{ id: "br1", badge_id: "b-sec", certification_id: "c-pse", count: 1 }],
  r7_thresholds: [],
  exchange_rates: [],
  journey_capabilities: [],
  curriculum_modules: [],
};

beforeEach(() => {
  vi.clearAllMocks();
  app.vocabulary = vocabulary();
  app.info = appInfo();
  toasts.items = [];
  vi.mocked(commands.ruleBook).mockReturnValue(ok(book));
  vi.mocked(commands.setTrackRequirementCount).mockReturnValue(
    ok({ ...book.track_requirements[0], count: 3 }),
  );
  vi.mocked(commands.setBadgeRequirementCount).mockReturnValue(
    ok({ ...book.badge_requirements[0], count: 4 }),
  );
});

describe("the rules tables", () => {
  it("are read only for anyone but an admin, with the badges' review cadence shown", async () => {
    app.info = appInfo({ may_edit_rules: false });
    render(RulesTables);
    const input = (await screen.findByLabelText("Select track: PSE people")) as HTMLInputElement;
    expect(input.disabled).toBe(true);
    expect(screen.getByTestId("rules-read-only").textContent).toContain("only a program admin");
    expect(screen.getByText("12 months")).toBeTruthy();
  });

  it("saves a track's count of certified people", async () => {
    render(RulesTables);
    const input = await screen.findByLabelText("Select track: PSE people");
    expect((input as HTMLInputElement).value).toBe("2");
    await fireEvent.change(input, { target: { value: "3" } });
    await waitFor(() =>
      expect(commands.setTrackRequirementCount).toHaveBeenCalledWith({ id: "tr1", count: 3 }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "Saved: Select needs 3 PSE" })]),
    );
  });

  it("saves a badge's count, and shows why the server refused one", async () => {
    vi.mocked(commands.setBadgeRequirementCount).mockReturnValue(
      fail({ code: "server", message: "only an admin edits the rules tables" }),
    );
    render(RulesTables);
    const input = await screen.findByLabelText("Security: PSE people");
    await fireEvent.change(input, { target: { value: "4" } });
    await waitFor(() =>
      expect(commands.setBadgeRequirementCount).toHaveBeenCalledWith({ id: "br1", count: 4 }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([
        expect.objectContaining({ kind: "error", text: expect.stringContaining("only an admin") }),
      ]),
    );
    expect(commands.setTrackRequirementCount).not.toHaveBeenCalled();
  });
});

describe("the exchange rates", () => {
  const withRates = (): RuleBook => ({
    ...book,
    exchange_rates: [
      { id: "x-jpy", currency: "JPY", usd_per_unit: 6_712_000, as_of: "2026-11-02" },
      { id: "x-eur", currency: "EUR", usd_per_unit: 1_084_500_000, as_of: "2026-12-01" },
    ],
  });

  beforeEach(() => {
    vi.mocked(commands.ruleBook).mockReturnValue(ok(withRates()));
    vi.mocked(commands.setExchangeRate).mockImplementation((r) =>
      ok({ id: "x", currency: r.currency ?? "", usd_per_unit: 1, as_of: r.as_of ?? "2026-11-23" }),
    );
  });

  it("show US dollars for one unit of each currency, read only for anyone but an admin", async () => {
    app.info = appInfo({ may_edit_rules: false });
    render(RulesTables);
    const eur = await screen.findByTestId("rate-EUR");
    expect(eur.textContent?.replace(/\s+/g, " ")).toContain("EUR Euro1 EUR = 1.0845 USD");
    expect(screen.getByTestId("rate-JPY").textContent).toContain("1 JPY = 0.006712 USD");
    const rows = within(screen.getByTestId("exchange-rates")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.testid)).toEqual(["rate-EUR", "rate-JPY"]);
    expect(screen.queryByRole("button", { name: "Remove the EUR rate" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Add an exchange rate" })).toBeNull();
    expect(screen.queryByLabelText("US dollars for 1 EUR")).toBeNull();
  });

  it("saves a new rate as taken today, and a new day with the rate as it is", async () => {
    render(RulesTables);
    const eur = (await screen.findByLabelText("US dollars for 1 EUR")) as HTMLInputElement;
    expect(eur.value).toBe("1.0845");
    await fireEvent.change(eur, { target: { value: " 1.0912 " } });
    await waitFor(() =>
      expect(commands.setExchangeRate).toHaveBeenCalledWith({ currency: "EUR", usd_per_unit: "1.0912", as_of: "2026-11-23" }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "Saved: 1 EUR = 1.0912 USD" })]),
    );
    await fireEvent.change(screen.getByLabelText("JPY rate as of"), { target: { value: "2026-12-15" } });
    await waitFor(() =>
      expect(commands.setExchangeRate).toHaveBeenLastCalledWith({
        currency: "JPY",
        usd_per_unit: "0.006712",
        as_of: "2026-12-15",
      }),
    );
  });

  it("shows why the core refused a rate, and the rate as it is again", async () => {
    vi.mocked(commands.setExchangeRate).mockReturnValue(
      fail({ code: "invalid", message: "usd_per_unit: \"1,08\" is not a rate like 1.0845 (US dollars for one unit)" }),
    );
    render(RulesTables);
    const eur = (await screen.findByLabelText("US dollars for 1 EUR")) as HTMLInputElement;
    await fireEvent.change(eur, { target: { value: "1,08" } });
    await waitFor(() =>
      expect(toasts.items).toEqual([
        expect.objectContaining({ kind: "error", text: expect.stringContaining("is not a rate like 1.0845") }),
      ]),
    );
    await waitFor(() => expect(eur.value).toBe("1.0845"));
  });

  it("removes a currency's rate", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Remove the JPY rate" }));
    await waitFor(() => expect(commands.removeExchangeRate).toHaveBeenCalledWith("JPY"));
    expect(commands.setExchangeRate).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: expect.stringContaining("Removed the JPY exchange rate") })]),
    );
  });

  it("adds a rate for a currency without one, dated today unless told", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Add an exchange rate" });
    const picker = within(form).getByLabelText("Currency") as HTMLSelectElement;
    // The base currency and those with a rate are not offered again.
    const offered = Array.from(picker.options).map((o) => o.value);
    expect(offered).toEqual(["", "GBP", "AUD", "BRL", "NOK"]);
    expect(within(form).getByRole("option", { name: "GBP — Pound sterling" })).toBeTruthy();
    expect((within(form).getByLabelText("As of") as HTMLInputElement).value).toBe("2026-11-23");

    await user.selectOptions(picker, "GBP");
    await user.type(within(form).getByLabelText("US dollars for 1 GBP"), "1.27");
    await user.click(within(form).getByRole("button", { name: "Add rate" }));
    await waitFor(() =>
      expect(commands.setExchangeRate).toHaveBeenCalledWith({ currency: "GBP", usd_per_unit: "1.27", as_of: "2026-11-23" }),
    );
    await waitFor(() => expect(picker.value).toBe(""));

    await user.selectOptions(picker, "NOK");
    await fireEvent.change(within(form).getByLabelText("As of"), { target: { value: "2026-10-31" } });
    await user.type(within(form).getByLabelText("US dollars for 1 NOK"), "0.094");
    await user.click(within(form).getByRole("button", { name: "Add rate" }));
    await waitFor(() =>
      expect(commands.setExchangeRate).toHaveBeenLastCalledWith({ currency: "NOK", usd_per_unit: "0.094", as_of: "2026-10-31" }),
    );
  });

  it("writes the R7 thresholds' amounts in US dollars", async () => {
    vi.mocked(commands.ruleBook).mockReturnValue(
      ok({
        ...withRates(),
        r7_thresholds: [
          { id: "r7-smb-plan", segment: "smb", requirement: "command_plan_overview", metric: "amount", threshold: 2_500_000 },
        ],
      }),
    );
    render(RulesTables);
    const input = (await screen.findByLabelText("R7 threshold r7-smb-plan")) as HTMLInputElement;
    expect(input.value).toBe("25000");
    expect(input.title).toBe("$25,000");
    expect(input.parentElement?.textContent).toContain("USD");
  });
});
