import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type PlanActuals as Actuals } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, converted, vocabulary } from "../../test/fixtures";
import PlanActuals from "./PlanActuals.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

function actuals(over: Partial<Actuals> = {}): Actuals {
  return {
    partner_id: "p1",
    fiscal_year: 2027,
    first_day: "2026-02-01",
    last_day: "2027-01-31",
    has_plan: true,
    currency: "USD",
    conversion: converted(),
    growth_arr: { target: 8_000_000, actual: 0 },
    new_customer_arr: { target: 5_000_000, actual: 1_500_000 },
    open_pipeline: 900_000,
    services_attach_won: 250_000,
    won: [
      {
        opportunity_id: "o1",
        name: "Fabrikam Premium",
        account_name: "Fabrikam",
        opportunity_type: "new_business",
        iacv: 1_500_000,
        services_attach: 250_000,
        currency: "USD",
        iacv_converted: 1_500_000,
        close_date: "2026-12-07",
        reason: "Partner-led proof of value",
      },
    ],
    lost: [],
    mdf_requested: 1_200_000,
    mdf_by_quarter: [
      { quarter: "Q2", requested: 1_000_000, approved: 1_000_000 },
      { quarter: "Q3", requested: 200_000, approved: 0 },
    ],
    mdf_eligible: true,
    journey_stage: "onboarding",
    target_stage: "established",
    uncommitted: [],
    tsp_invited_on: null,
    commitments_missing: false,
    commitment_gaps: [],
    certifications: [],
    as_of: "2026-12-07",
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("the plan against actuals", () => {
  it("shows each target with what was won, and the won deals with their reasons", async () => {
    vi.mocked(commands.planActuals).mockReturnValue(ok(actuals()));
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    expect(await screen.findByText("$15,000 of $50,000 (30%)")).toBeTruthy();
    expect(screen.getByText("$0 of $80,000 (0%)")).toBeTruthy();
    expect(screen.getByRole("img", { name: "New-customer ARR: $15,000 won of $50,000" })).toBeTruthy();
    expect(screen.getByRole("list", { name: "Won deals" }).textContent).toContain("Partner-led proof of value");
    expect(screen.queryByRole("list", { name: "Lost deals" })).toBeNull();
    expect(commands.planActuals).toHaveBeenCalledWith("p1", 2027);
  });

  it("sums the MDF per quarter with what is approved", async () => {
    vi.mocked(commands.planActuals).mockReturnValue(ok(actuals()));
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    const quarters = await screen.findByTestId("mdf-quarters");
    expect(quarters.textContent?.replace(/\s+/g, " ")).toContain("Q2: $10,000 ($10,000 approved)");
    expect(quarters.textContent?.replace(/\s+/g, " ")).toContain("Q3: $2,000 ($0 approved)");
  });

  it("says when there is no plan for the year", async () => {
    vi.mocked(commands.planActuals).mockReturnValue(
      ok(actuals({ has_plan: false, growth_arr: { target: null, actual: 0 }, new_customer_arr: { target: null, actual: 1_000 } })),
    );
    render(PlanActuals, { partner: "p1", fiscalYear: 2028 });
    expect(await screen.findByText("$10 (no plan)")).toBeTruthy();
  });

  it("shows each certification commitment with where it stands, and what slide 19 leaves out", async () => {
    const commitment = {
      certification_name: "",
      by: "2027-01-31",
      planned_later: 0,
      late_by: 0,
      short_by: 0,
      program_needs: 0,
    };
    vi.mocked(commands.planActuals).mockReturnValue(
      ok(
        actuals({
          certifications: [
            {
              ...commitment,
              certification_id: "pse",
              certification_name: "Professional Services Engineer (PSE)",
              committed: 3,
              certified: 1,
              planned_by_date: 1,
              planned_later: 1,
              late_by: 1,
              program_needs: 3,
              status: "late",
              label: "late: 1 planned after the date",
            },
            {
              ...commitment,
              certification_id: "sa-core",
              certification_name: "Solution Architect (SA) Core",
              committed: 2,
              certified: 1,
              planned_by_date: 1,
              status: "on_track",
              label: "on track",
            },
          ],
          commitment_gaps: ["Sales Core: not committed, the track and badges need 2."],
        }),
      ),
    );
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    const pse = await screen.findByTestId("commitment-pse");
    expect(pse.textContent).toContain("1 of 3 certified by");
    expect(pse.textContent).toContain("1 more planned by then, 1 later");
    expect(pse.querySelector(".pill.warn")?.textContent).toBe("late: 1 planned after the date");
    const sa = screen.getByTestId("commitment-sa-core");
    expect(sa.textContent).toContain("on track");
    expect(sa.querySelector(".pill.warn")).toBeNull();
    const gaps = screen.getByRole("list", { name: "Slide 19 gaps" });
    expect(gaps.textContent).toBe("Sales Core: not committed, the track and badges need 2.");
  });

  it("says the plan commits no one when slide 19 is empty but the track needs people", async () => {
    vi.mocked(commands.planActuals).mockReturnValue(
      ok(actuals({ certifications: [], commitment_gaps: ["Sales Core: not committed, the track and badges need 2."] })),
    );
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    expect(await screen.findByText("The plan commits no one to a certification yet.")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Slide 19 gaps" }).textContent).toContain("Sales Core");
  });

  it("shows every sum and target in the plan's currency, each deal in its own, and how deals were converted", async () => {
    const deal = actuals().won[0];
    vi.mocked(commands.planActuals).mockReturnValue(
      ok(
        actuals({
          currency: "EUR",
          conversion: converted({
            currency: "EUR",
            rates: [
              { id: "x-gbp", currency: "GBP", usd_per_unit: 1_270_000_000, as_of: "2026-12-01" },
              { id: "x-eur", currency: "EUR", usd_per_unit: 1_084_500_000, as_of: "2026-12-01" },
            ],
            missing: ["JPY"],
            lines: [
              "Amounts in GBP converted to EUR at the exchange rates in the rules: 1 GBP = 1.27 USD (2026-12-01), 1 EUR = 1.0845 USD (2026-12-01).",
              "No exchange rate for JPY: amounts in it are left out of these sums until an admin adds the rate to the rules.",
            ],
          }),
          won: [
            { ...deal, opportunity_id: "o1", name: "Fabrikam Premium", currency: "EUR", iacv: 1_000_000, iacv_converted: 1_000_000 },
            { ...deal, opportunity_id: "o2", name: "Contoso UK", currency: "GBP", iacv: 500_000, iacv_converted: 585_523 },
          ],
          lost: [{ ...deal, opportunity_id: "o3", name: "Tailspin Tokyo", currency: "JPY", iacv: 90_000_000, iacv_converted: null }],
        }),
      ),
    );
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    expect(await screen.findByText("€15,000 of €50,000 (30%)")).toBeTruthy();
    expect(screen.getByText("€0 of €80,000 (0%)")).toBeTruthy();
    expect(screen.getByRole("img", { name: "New-customer ARR: €15,000 won of €50,000" })).toBeTruthy();
    expect(screen.getByTestId("actuals-currency").textContent).toBe("EUR");
    expect(screen.getByText("€9,000")).toBeTruthy();
    expect(screen.getByTestId("mdf-quarters").textContent?.replace(/\s+/g, " ")).toContain("Q2: €10,000 (€10,000 approved)");

    const won = screen.getByRole("list", { name: "Won deals" });
    expect(won.textContent).toContain("IACV €10,000");
    expect(won.textContent).toContain("IACV £5,000 (€5,855)");
    expect(screen.getByRole("list", { name: "Lost deals" }).textContent).toContain(
      "IACV ¥900,000 (no exchange rate to EUR: not counted)",
    );

    const lines = screen.getByRole("list", { name: "How amounts were converted" }).querySelectorAll("li");
    expect(lines).toHaveLength(2);
    expect(lines[0].textContent).toContain("1 GBP = 1.27 USD");
    expect(lines[0].classList.contains("warn")).toBe(false);
    expect(lines[1].textContent).toContain("No exchange rate for JPY");
    expect(lines[1].classList.contains("warn")).toBe(true);
  });

  it("says nothing about conversion when every deal is in the plan's currency", async () => {
    vi.mocked(commands.planActuals).mockReturnValue(ok(actuals()));
    render(PlanActuals, { partner: "p1", fiscalYear: 2027 });
    await screen.findByText("$15,000 of $50,000 (30%)");
    expect(screen.queryByRole("list", { name: "How amounts were converted" })).toBeNull();
    expect(screen.getByRole("list", { name: "Won deals" }).textContent).toContain("IACV $15,000");
    expect(screen.getByRole("list", { name: "Won deals" }).textContent).not.toContain("(");
  });
});
