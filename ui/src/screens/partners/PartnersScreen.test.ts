import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type Partner, type PartnerLine } from "../../lib/bindings";
import { date } from "../../lib/format";
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

/** A partner's line: compliant, no plan, nothing won, no review, no note unless told. */
function line(p: Partial<Partner>, over: Partial<PartnerLine> = {}): PartnerLine {
  return {
    ...partner(p),
    compliance: { state: "compliant" },
    fiscal_year: 2027,
    plan_status: null,
    arr_target: null,
    arr_won: 0,
    arr_currency: "USD",
    arr_conversion: [],
    next_review: null,
    last_note: null,
    ...over,
  };
}

/** Acme on 11% of its target, Bravo with a gap its plan closes, Cyan with one it does not. */
function lines(): PartnerLine[] {
  return [
    line(
      { id: "p1", name: "Acme", partner_types: ["var_vad", "boutique_si"], track: "select" },
      {
        plan_status: "agreed",
        arr_target: 15_000_000,
        arr_won: 1_700_000,
        last_note: {
          id: "n1",
          title: "QBR prep",
          snippet: "Agreed the QBR agenda",
          occurred_at: "2026-11-20T15:30:00.000Z",
        },
      },
    ),
    line(
      { id: "p2", name: "Bravo", region: "americas", journey_stage: "established" },
      {
        compliance: { state: "gap", missing: 2, closure: { state: "planned", on: "2027-03-15", overdue: false } },
        plan_status: "draft",
        arr_target: 2_000_000,
      },
    ),
    line(
      { id: "p3", name: "Cyan", owner: "kim@vendor.example" },
      {
        compliance: { state: "gap", missing: 3, closure: { state: "not_closed", short_by: 1 } },
        arr_won: 500_000,
        next_review: {
          on: "2026-12-01",
          badge_name: "Training Services Partner",
          status: { state: "evidence_due" },
        },
      },
    ),
  ];
}

const order = () =>
  [...screen.getByTestId("partner-list").querySelectorAll("a.line .name")].map((n) => n.textContent);
const header = (name: string) => screen.getByRole("button", { name: new RegExp(`^${name}`) });
const sortState = (name: string) => header(name).closest("[role=columnheader]")?.getAttribute("aria-sort");

describe("the partners list", () => {
  it("asks the core with the chosen filters", async () => {
    vi.mocked(commands.partnerLines).mockReturnValue(ok([line({})]));
    vi.mocked(commands.listPartners).mockReturnValue(
      ok([partner(), partner({ id: "p2", name: "Contoso", owner: "kim@vendor.example" })]),
    );
    render(PartnersScreen);
    await screen.findByText("Northwind Cloud");
    await fireEvent.change(screen.getByLabelText("Track"), { target: { value: "select" } });
    await waitFor(() =>
      expect(commands.partnerLines).toHaveBeenLastCalledWith(expect.objectContaining({ track: "select" })),
    );
    await fireEvent.input(screen.getByLabelText("Search"), { target: { value: "north" } });
    await waitFor(() =>
      expect(commands.partnerLines).toHaveBeenLastCalledWith(
        expect.objectContaining({ track: "select", name: "north" }),
      ),
    );
    const owners = [...(screen.getByLabelText("Owner") as HTMLSelectElement).options].map((o) => o.value);
    expect(owners).toEqual(["", "cam@vendor.example", "kim@vendor.example"]);
  });

  it("shows compliance, the plan, closed won of target, the next review and the last note", async () => {
    vi.mocked(commands.partnerLines).mockReturnValue(ok(lines()));
    vi.mocked(commands.listPartners).mockReturnValue(ok([]));
    render(PartnersScreen);
    await screen.findByText("Acme");
    const row = (name: string) => screen.getByText(name, { selector: ".name" }).closest("a") as HTMLElement;
    const cell = (name: string, col: string) => row(name).querySelector(`[data-col=${col}]`)?.textContent?.trim();

    expect(within(row("Acme")).getByText("VAR/VAD, Boutique SI")).toBeTruthy();
    expect(within(row("Acme")).getByText("Select")).toBeTruthy();
    expect(within(row("Bravo")).getByText("Americas")).toBeTruthy();
    expect(within(row("Bravo")).getByText("02 Established")).toBeTruthy();
    expect(within(row("Cyan")).getByText("kim@vendor.example")).toBeTruthy();

    expect(within(row("Acme")).getByText("Compliant").classList).toContain("ok");
    expect(within(row("Bravo")).getByText("Gap · 2 missing").classList).toContain("warn");
    expect(cell("Bravo", "compliance")).toContain(`Closes ${date("2027-03-15")}`);
    expect(within(row("Cyan")).getByText("Gap · 3 missing").classList).toContain("danger");
    expect(cell("Cyan", "compliance")).toContain("Plan short by 1 certification");

    expect(screen.getByRole("columnheader", { name: /Plan FY27/ })).toBeTruthy();
    expect(cell("Acme", "plan")).toBe("Agreed with partner");
    expect(cell("Cyan", "plan")).toBe("No plan");

    expect(cell("Acme", "won")).toContain("$17,000 of $150,000");
    const bar = within(row("Acme")).getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("11");
    expect(cell("Cyan", "won")).toContain("$5,000");
    expect(cell("Cyan", "won")).toContain("No target");
    expect(row("Acme").querySelector("[data-testid=conversion-mark]")).toBeNull();

    expect(cell("Cyan", "next_review")).toContain(date("2026-12-01"));
    expect(cell("Cyan", "next_review")).toContain("Evidence due");
    expect(cell("Acme", "next_review")).toBe("—");
    expect(cell("Acme", "last_note")).toContain(date("2026-11-20T15:30:00.000Z"));
    expect(cell("Acme", "last_note")).toContain("QBR prep");
    expect(row("Acme").querySelector("[data-col=last_note]")?.getAttribute("title")).toContain("Agreed the QBR agenda");
  });

  it("shows closed won of target in the plan's currency, marking sums with converted deals", async () => {
    const conversion = [
      "Amounts in USD converted to EUR at the exchange rates in the rules: 1 EUR = 1.0845 USD (2026-12-01).",
    ];
    vi.mocked(commands.partnerLines).mockReturnValue(
      ok([
        line(
          { id: "p1", name: "Acme", currency: "EUR" },
          { plan_status: "agreed", arr_target: 15_000_000, arr_won: 1_700_000, arr_currency: "EUR", arr_conversion: conversion },
        ),
        line({ id: "p2", name: "Bravo", currency: "JPY" }, { arr_won: 90_000_000, arr_currency: "JPY" }),
      ]),
    );
    vi.mocked(commands.listPartners).mockReturnValue(ok([]));
    render(PartnersScreen);
    await screen.findByText("Acme");
    const won = (name: string) =>
      screen.getByText(name, { selector: ".name" }).closest("a")?.querySelector("[data-col=won]") as HTMLElement;
    expect(won("Acme").textContent).toContain("€17,000 of €150,000");
    const mark = within(won("Acme")).getByTestId("conversion-mark");
    expect(mark.title).toBe(conversion[0]);
    expect(mark.classList.contains("warn")).toBe(false);
    expect(won("Bravo").textContent).toContain("¥900,000");
    expect(within(won("Bravo")).queryByTestId("conversion-mark")).toBeNull();
  });

  it("sorts by a column header, either way, by click or keyboard", async () => {
    vi.mocked(commands.partnerLines).mockReturnValue(ok([...lines()].reverse()));
    vi.mocked(commands.listPartners).mockReturnValue(ok([]));
    render(PartnersScreen);
    const user = userEvent.setup();
    await screen.findByText("Acme");
    expect(order()).toEqual(["Acme", "Bravo", "Cyan"]);
    expect(sortState("Name")).toBe("ascending");

    // Share of the target: Bravo 0%, Acme 11%; Cyan has no target and stays last.
    await user.click(header("Closed won of target"));
    expect(order()).toEqual(["Bravo", "Acme", "Cyan"]);
    expect(sortState("Closed won of target")).toBe("ascending");
    expect(sortState("Name")).toBe("none");
    await user.click(header("Closed won of target"));
    expect(order()).toEqual(["Acme", "Bravo", "Cyan"]);
    expect(sortState("Closed won of target")).toBe("descending");

    // From the keyboard: compliant first, then the gap the plan closes, then the one it does not.
    header("Compliance").focus();
    await user.keyboard("{Enter}");
    expect(order()).toEqual(["Acme", "Bravo", "Cyan"]);
    expect(sortState("Compliance")).toBe("ascending");
    await user.keyboard(" ");
    expect(order()).toEqual(["Cyan", "Bravo", "Acme"]);
    expect(sortState("Compliance")).toBe("descending");

    // Stages in journey order; partners without a review or a note last.
    await user.click(header("Stage"));
    await user.click(header("Stage"));
    expect(order()).toEqual(["Bravo", "Acme", "Cyan"]);
    await user.click(header("Next review"));
    expect(order()).toEqual(["Cyan", "Acme", "Bravo"]);
    await user.click(header("Last note"));
    expect(order()).toEqual(["Acme", "Bravo", "Cyan"]);
  });

  it("creates a partner with what was typed", async () => {
    vi.mocked(commands.partnerLines).mockReturnValue(ok([]));
    vi.mocked(commands.listPartners).mockReturnValue(ok([]));
    vi.mocked(commands.createPartner).mockReturnValue(ok(partner({ id: "new", name: "Fabrikam" })));
    vi.mocked(commands.appInfo).mockReturnValue(ok(appInfo()));
    render(PartnersScreen);
    await fireEvent.click(screen.getByText("New partner"));
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Fabrikam" } });
    await fireEvent.click(screen.getByText("Create partner"));
    await waitFor(() =>
      expect(commands.createPartner).toHaveBeenCalledWith(
        expect.objectContaining({ name: "Fabrikam", track: "open", partner_types: ["var_vad"], currency: "USD" }),
      ),
    );
  });
});
