import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type RuleBook } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { rules } from "../../lib/stores/rules.svelte";
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

const tables = [
  "certification",
  "track_requirement",
  "badge",
  "badge_requirement",
  "r7_threshold",
  "exchange_rate",
  "journey_capability",
  "curriculum_module",
];

/** A row in every table. */
const withEverything = (): RuleBook => ({
  ...book,
  certifications: [
    ...book.certifications,
    { id: "c-sales", name: "Sales Core", validity_months: null, sort_order: 2 },
  ],
  r7_thresholds: [
    { id: "r7-smb", segment: "smb", requirement: "command_plan_full", metric: "amount", threshold: 2_500_000 },
  ],
  exchange_rates: [{ id: "x-eur", currency: "EUR", usd_per_unit: 1_084_500_000, as_of: "2026-12-01" }],
  journey_capabilities: [
    { id: "j1", stage: "onboarding", area: "Get sales ready", label: "Sales Core passed", sort_order: 1 },
  ],
  curriculum_modules: [
    { id: "m3", level: "advanced", section: "Migration", title: "Migration deep dive", kind: "Material", minutes: 90, points: null, sort_order: 1 },
    { id: "m1", level: "core", section: "Intro", title: "Welcome", kind: "Material", minutes: 10, points: null, sort_order: 2 },
    { id: "m2", level: "core", section: "SDLC", title: "SDLC quiz", kind: "Quiz", minutes: 15, points: 9, sort_order: 3 },
  ],
});

beforeEach(() => {
  vi.clearAllMocks();
  app.vocabulary = vocabulary();
  app.info = appInfo();
  toasts.items = [];
  // The rule book is the app's: a test starts without the one a previous test loaded.
  rules.book = null;
  vi.mocked(commands.ruleBook).mockReturnValue(ok(book));
});

const inTable = (table: string) => within(screen.getByTestId(`rules-${table}`));

/** The row of `id` in `table`. */
async function row(table: string, id: string): Promise<HTMLElement> {
  const t = await screen.findByTestId(`rules-${table}`);
  const found = t.querySelector<HTMLElement>(`[data-testid="rules-row"][data-id="${id}"]`);
  if (!found) throw new Error(`no row ${id} in ${table}`);
  return found;
}

describe("the rules tables, for anyone but an admin", () => {
  beforeEach(() => {
    app.info = appInfo({ may_edit_rules: false });
    vi.mocked(commands.ruleBook).mockReturnValue(ok(withEverything()));
  });

  it("show every table with no inputs, no add or remove buttons, and say who edits them", async () => {
    render(RulesTables);
    await screen.findByTestId("rules-curriculum_module");
    expect(screen.getByTestId("rules-read-only").textContent).toContain("only a program admin");
    const section = screen.getByRole("region", { name: /Rules tables/ });
    for (const table of tables) expect(within(section).getByTestId(`rules-${table}`)).toBeTruthy();
    expect(section.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(within(section).queryAllByTestId("rules-remove")).toHaveLength(0);
    expect(within(section).queryAllByTestId(/^rules-add-/)).toHaveLength(0);
    expect(within(section).queryByRole("button")).toBeNull();

    // What each table holds, as words.
    const text = (table: string, id: string) =>
      (document.querySelector(`[data-testid="rules-${table}"] [data-id="${id}"]`)?.textContent ?? "")
        .replace(/\s+/g, " ")
        .trim();
    expect(text("certification", "c-pse")).toBe("PSE 24 months");
    expect(text("certification", "c-sales")).toBe("Sales Core Does not expire");
    expect(text("track_requirement", "tr1")).toBe("Select PSE 2");
    expect(text("badge", "b-sec")).toBe("Security Yes 12 months 1 month(s) before 3 months");
    expect(text("badge_requirement", "br1")).toBe("Security PSE 1");
    expect(text("r7_threshold", "r7-smb")).toBe("SMB Command plan (full) Amount $25,000");
    expect(text("journey_capability", "j1")).toBe("01 Onboarding Get sales ready Sales Core passed");
  });

  it("show the curriculum with each module's level, section, kind, minutes and points", async () => {
    render(RulesTables);
    const curriculum = await screen.findByTestId("rules-curriculum_module");
    const rows = within(curriculum).getAllByTestId("rules-row");
    // Core before advanced, each in its order.
    expect(rows.map((r) => r.dataset.id)).toEqual(["m1", "m2", "m3"]);
    const cells = (r: HTMLElement) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim());
    expect(cells(rows[1])).toEqual(["Core", "SDLC", "SDLC quiz", "Quiz", "15", "9"]);
    expect(cells(rows[2])).toEqual(["Advanced", "Migration", "Migration deep dive", "Material", "90", "—"]);
  });
});

describe("the rules tables, for an admin", () => {
  beforeEach(() => {
    vi.mocked(commands.ruleBook).mockReturnValue(ok(withEverything()));
    vi.mocked(commands.putRule).mockImplementation((r) => ok(r));
    vi.mocked(commands.removeRule).mockReturnValue(ok(null));
  });

  it("saves a track's count of certified people as the whole row", async () => {
    render(RulesTables);
    const input = await screen.findByLabelText("Select track: PSE people");
    expect((input as HTMLInputElement).value).toBe("2");
    vi.mocked(commands.ruleBook).mockClear();
    await fireEvent.change(input, { target: { value: "3" } });
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "track_requirement",
        row: { id: "tr1", track: "select", certification_id: "c-pse", count: 3 },
      }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "Saved: Select needs 3 PSE" })]),
    );
    // The rule book is read again.
    await waitFor(() => expect(commands.ruleBook).toHaveBeenCalled());
  });

  it("adds a track requirement", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("rules-add-track_requirement"));
    const table = inTable("track_requirement");
    await user.selectOptions(table.getByTestId("rules-new-track"), "open");
    await user.selectOptions(table.getByTestId("rules-new-certification"), "c-sales");
    await user.clear(table.getByTestId("rules-new-count"));
    await user.type(table.getByTestId("rules-new-count"), "2");
    await user.click(table.getByTestId("rules-add-save-track_requirement"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "track_requirement",
        row: { id: "", track: "open", certification_id: "c-sales", count: 2 },
      }),
    );
    expect(commands.putRule).toHaveBeenCalledTimes(1);
    // Added, the form closes.
    await waitFor(() => expect(table.queryByTestId("rules-new-track")).toBeNull());
    expect(table.getByTestId("rules-add-track_requirement")).toBeTruthy();
    expect(toasts.items).toEqual([expect.objectContaining({ text: "Saved: Open needs 2 Sales Core" })]);
  });

  it("shows why the core refused a new row by its table, and keeps what was typed", async () => {
    vi.mocked(commands.putRule).mockReturnValue(
      fail({ code: "invalid", message: "rules: select already requires 2 certified in PSE: change that row's count" }),
    );
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("rules-add-track_requirement"));
    const table = inTable("track_requirement");
    await user.selectOptions(table.getByTestId("rules-new-track"), "select");
    await user.selectOptions(table.getByTestId("rules-new-certification"), "c-pse");
    await user.click(table.getByTestId("rules-add-save-track_requirement"));
    expect((await table.findByTestId("rules-error")).textContent).toContain("already requires 2 certified in PSE");
    expect((table.getByTestId("rules-new-track") as HTMLSelectElement).value).toBe("select");
    // Only that table says so.
    expect(screen.getAllByTestId("rules-error")).toHaveLength(1);
    expect(toasts.items).toEqual([]);
  });

  it("removes a row", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    const r = await row("badge_requirement", "br1");
    await user.click(within(r).getByTestId("rules-remove"));
    await waitFor(() => expect(commands.removeRule).toHaveBeenCalledWith("badge_requirement", "br1"));
    expect(commands.removeRule).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(toasts.items).toEqual([
        expect.objectContaining({ text: "Removed: the Security badge's PSE requirement" }),
      ]),
    );
  });

  it("shows why a row still in use is not removed, by its table", async () => {
    vi.mocked(commands.removeRule).mockReturnValue(
      fail({
        code: "invalid",
        message: 'rules: "c-pse" is still used: 2 requirement(s) and 0 enablement plan line(s) name it: remove or change those first',
      }),
    );
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(within(await row("certification", "c-pse")).getByTestId("rules-remove"));
    await waitFor(() => expect(commands.removeRule).toHaveBeenCalledWith("certification", "c-pse"));
    const error = await inTable("certification").findByTestId("rules-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("is still used: 2 requirement(s)");
    expect(inTable("track_requirement").queryByTestId("rules-error")).toBeNull();
  });

  it("shows a refused change and the row as it is stored again", async () => {
    vi.mocked(commands.putRule).mockReturnValue(
      fail({ code: "server", message: "only an admin edits the rules tables" }),
    );
    render(RulesTables);
    const input = (await screen.findByLabelText("Security: PSE people")) as HTMLInputElement;
    await fireEvent.change(input, { target: { value: "4" } });
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "badge_requirement",
        row: { id: "br1", badge_id: "b-sec", certification_id: "c-pse", count: 4 },
      }),
    );
    expect((await inTable("badge_requirement").findByTestId("rules-error")).textContent).toContain("only an admin");
    await waitFor(() => expect((screen.getByLabelText("Security: PSE people") as HTMLInputElement).value).toBe("1"));
  });

  it("does not send a count that is not a whole number", async () => {
    render(RulesTables);
    const input = await screen.findByLabelText("Security: reviewed every (months)");
    await fireEvent.change(input, { target: { value: "1.5" } });
    expect((await inTable("badge").findByTestId("rules-error")).textContent).toBe(
      'review_every_months: "1.5" is not a whole number',
    );
    expect(commands.putRule).not.toHaveBeenCalled();
  });

  it("edits a badge's cadence and its track condition, whole", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("Security: needs the track met"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "badge",
        row: {
          id: "b-sec",
          name: "Security",
          requires_track_compliance: false,
          review_every_months: 12,
          evidence_lead_months: 1,
          grace_months: 3,
        },
      }),
    );
  });

  it("adds a certification that does not expire, and one that does", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("rules-add-certification"));
    const form = screen.getByRole("form", { name: "Add a certification" });
    await user.type(within(form).getByLabelText("Name"), "SA Core");
    await user.click(screen.getByTestId("rules-add-save-certification"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "certification",
        row: { id: "", name: "SA Core", validity_months: null, sort_order: 3 },
      }),
    );
    await user.click(screen.getByTestId("rules-add-certification"));
    const again = screen.getByRole("form", { name: "Add a certification" });
    await user.type(within(again).getByLabelText("Name"), "SA Pro");
    await user.type(within(again).getByLabelText("Valid for (months)"), "36");
    await user.click(screen.getByTestId("rules-add-save-certification"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenLastCalledWith({
        table: "certification",
        row: { id: "", name: "SA Pro", validity_months: 36, sort_order: 3 },
      }),
    );
  });

  it("adds an R7 threshold with the amount as typed, and shows the core's refusal", async () => {
    vi.mocked(commands.setR7Threshold).mockReturnValueOnce(
      fail({ code: "invalid", message: 'threshold: "25,000 dollars" is not an amount of money like 12500 or $12,500.00' }),
    );
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("rules-add-r7_threshold"));
    const form = screen.getByRole("form", { name: "Add an R7 threshold" });
    await user.selectOptions(within(form).getByLabelText("Segment"), "mid_market");
    await user.selectOptions(within(form).getByLabelText("Requires"), "pitch_deck");
    await user.selectOptions(within(form).getByLabelText("Over the deal's"), "iacv");
    await user.type(within(form).getByLabelText(/Threshold/), "25,000 dollars");
    await user.click(screen.getByTestId("rules-add-save-r7_threshold"));
    expect((await inTable("r7_threshold").findByTestId("rules-error")).textContent).toContain(
      "threshold: \"25,000 dollars\" is not an amount of money",
    );

    await user.clear(within(form).getByLabelText(/Threshold/));
    await user.type(within(form).getByLabelText(/Threshold/), "$50,000.5");
    await user.click(screen.getByTestId("rules-add-save-r7_threshold"));
    await waitFor(() =>
      expect(commands.setR7Threshold).toHaveBeenLastCalledWith({
        id: "",
        segment: "mid_market",
        requirement: "pitch_deck",
        metric: "iacv",
        threshold: "$50,000.5",
      }),
    );
    await waitFor(() => expect(inTable("r7_threshold").queryByTestId("rules-error")).toBeNull());
    expect(commands.putRule).not.toHaveBeenCalled();
  });

  it("sends an R7 threshold's amount as typed, for the core to read", async () => {
    render(RulesTables);
    const input = (await screen.findByLabelText("R7 threshold r7-smb")) as HTMLInputElement;
    expect(input.value).toBe("25000");
    await fireEvent.change(input, { target: { value: "30,000" } });
    await waitFor(() => expect(commands.setR7Threshold).toHaveBeenCalledWith({ id: "r7-smb", threshold: "30,000" }));
    expect(commands.putRule).not.toHaveBeenCalled();
  });

  it("adds a journey capability and a curriculum module with its points", async () => {
    render(RulesTables);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("rules-add-journey_capability"));
    const journey = screen.getByRole("form", { name: "Add a capability" });
    await user.selectOptions(within(journey).getByLabelText("Stage"), "established");
    await user.type(within(journey).getByLabelText("Area"), "Get sales ready");
    await user.type(within(journey).getByLabelText("Capability"), "First deal registered");
    await user.click(screen.getByTestId("rules-add-save-journey_capability"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "journey_capability",
        row: { id: "", stage: "established", area: "Get sales ready", label: "First deal registered", sort_order: 2 },
      }),
    );

    await user.click(screen.getByTestId("rules-add-curriculum_module"));
    const curriculum = screen.getByRole("form", { name: "Add a module" });
    await user.selectOptions(within(curriculum).getByLabelText("Level"), "advanced");
    await user.type(within(curriculum).getByLabelText("Section"), "Security");
    await user.type(within(curriculum).getByLabelText("Module"), "Security quiz");
    await user.type(within(curriculum).getByLabelText("Kind"), "Quiz");
    await user.type(within(curriculum).getByLabelText("Minutes"), "20");
    await user.type(within(curriculum).getByLabelText("Points"), "5");
    await user.click(screen.getByTestId("rules-add-save-curriculum_module"));
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenLastCalledWith({
        table: "curriculum_module",
        row: {
          id: "",
          level: "advanced",
          section: "Security",
          title: "Security quiz",
          kind: "Quiz",
          minutes: 20,
          points: 5,
          sort_order: 4,
        },
      }),
    );
  });

  it("edits a module's points, blank for none", async () => {
    render(RulesTables);
    const points = await screen.findByLabelText("SDLC quiz: points");
    await fireEvent.change(points, { target: { value: "" } });
    await waitFor(() =>
      expect(commands.putRule).toHaveBeenCalledWith({
        table: "curriculum_module",
        row: expect.objectContaining({ id: "m2", title: "SDLC quiz", points: null, minutes: 15 }),
      }),
    );
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
