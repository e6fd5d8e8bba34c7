import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type PartnerDetail, type PartnerReview, type PlanActuals } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { ok } from "../../test/bindings";
import { appInfo, converted, partner, vocabulary } from "../../test/fixtures";
import ReviewTab from "./ReviewTab.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const actuals: PlanActuals = {
  partner_id: "p1",
  fiscal_year: 2027,
  first_day: "2026-02-01",
  last_day: "2027-01-31",
  has_plan: true,
  currency: "USD",
  conversion: converted(),
  growth_arr: { target: 8_000_000, actual: 0 },
  new_customer_arr: { target: 5_000_000, actual: 1_500_000 },
  open_pipeline: 0,
  services_attach_won: 0,
  won: [],
  lost: [],
  mdf_requested: 0,
  mdf_by_quarter: [],
  mdf_eligible: true,
  journey_stage: "onboarding",
  target_stage: null,
  certifications: [],
  uncommitted: [],
  tsp_invited_on: null,
  commitments_missing: false,
  commitment_gaps: [],
  as_of: "2026-12-07",
};

function review(over: Partial<PartnerReview> = {}): PartnerReview {
  return {
    partner_id: "p1",
    partner_name: "Northwind Cloud",
    channel_manager: "cam@vendor.example",
    track: "select",
    region: "emea",
    quarter: { fiscal_year: 2027, quarter: 4, first_day: "2026-11-01", last_day: "2027-01-31" },
    as_of: "2026-12-07",
    plan_status: "agreed",
    actuals,
    compliance: { partner_id: "p1", partner_name: "Northwind Cloud", track: { track: "select", compliant: true, closure: { state: "met" }, requirements: [] }, badges: [] },
    won_in_quarter: [
      {
        opportunity_id: "o1",
        name: "Premium",
        account_name: "Initech",
        opportunity_type: "new_business",
        iacv: 1_500_000,
        services_attach: 0,
        currency: "USD",
        iacv_converted: 1_500_000,
        close_date: "2026-11-10",
        reason: "Partner-led proof of value",
      },
    ],
    lost_in_quarter: [],
    open_next_steps: [
      { description: "Send the deck", owner: "partner@nw.example", due_on: "2026-12-01", agreed_with_partner: true, overdue: true },
    ],
    notes: [
      {
        note_id: "n1",
        occurred_on: "2026-11-20",
        title: "QBR prep (ii)",
        body: "Agreed the agenda.",
        author: "cam@vendor.example",
        account_name: null,
      },
    ],
    ...over,
  };
}

const detail = { partner: partner({ id: "p1", name: "Northwind Cloud" }) } as PartnerDetail;

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.planActuals).mockReturnValue(ok(actuals));
});

describe("the partner review", () => {
  it("shows the quarter's deals, open steps and notes, and picks an earlier quarter", async () => {
    vi.mocked(commands.partnerReview).mockReturnValue(ok(review()));
    render(ReviewTab, { detail });
    expect(await screen.findByRole("heading", { name: "Partner review, Q4 FY27" })).toBeTruthy();
    const won = screen.getByTestId("review-won");
    expect(within(won).getByText("Partner-led proof of value")).toBeTruthy();
    expect(within(won).getByText("1 deal")).toBeTruthy();
    expect(screen.getByTestId("review-lost").textContent).toContain("No deal closed lost");
    expect(screen.getByText("Send the deck").closest("li")?.textContent).toContain("overdue");
    expect(screen.getByText("Agreed the agenda.")).toBeTruthy();
    expect(commands.partnerReview).toHaveBeenCalledWith("p1", null);

    const picker = screen.getByTestId("review-quarter") as HTMLSelectElement;
    expect(Array.from(picker.options).map((o) => o.text)).toEqual([
      "Q4 FY27 (this quarter)",
      "Q3 FY27",
      "Q2 FY27",
      "Q1 FY27",
      "Q4 FY26",
    ]);
    await fireEvent.change(picker, { target: { value: "Q3 FY27" } });
    expect(commands.partnerReview).toHaveBeenLastCalledWith("p1", "Q3 FY27");
  });

  it("exports the review as a PDF to the exports folder", async () => {
    vi.mocked(commands.partnerReview).mockReturnValue(ok(review()));
    vi.mocked(commands.exportReview).mockReturnValue(ok("/data/exports/Northwind Cloud - Q4 FY27 partner review.pdf"));
    render(ReviewTab, { detail });
    await screen.findByRole("heading", { name: "Partner review, Q4 FY27" });
    await fireEvent.click(screen.getByRole("button", { name: "Save to exports folder" }));
    expect(commands.exportReview).toHaveBeenCalledWith("p1", null, "pdf", "data_dir");
    const shown = await vi.waitFor(() => {
      const t = toasts.items.find((t) => t.text.includes("Q4 FY27 partner review.pdf"));
      if (!t) throw new Error("no toast yet");
      return t;
    });
    expect(shown.action?.label).toBe("Show in folder");
    shown.action?.run();
    expect(commands.showInFolder).toHaveBeenCalledWith("/data/exports/Northwind Cloud - Q4 FY27 partner review.pdf");
  });

  it("shows each deal in its own currency and the total in the plan's, naming deals left out of it", async () => {
    const deal = review().won_in_quarter[0];
    vi.mocked(commands.partnerReview).mockReturnValue(
      ok(
        review({
          actuals: { ...actuals, currency: "EUR" },
          won_in_quarter: [
            { ...deal, opportunity_id: "o1", name: "Premium", currency: "EUR", iacv: 1_000_000, iacv_converted: 1_000_000 },
            { ...deal, opportunity_id: "o2", name: "Contoso UK", currency: "GBP", iacv: 500_000, iacv_converted: 585_523 },
          ],
          lost_in_quarter: [
            { ...deal, opportunity_id: "o3", name: "Tailspin", currency: "JPY", iacv: 90_000_000, iacv_converted: null },
            { ...deal, opportunity_id: "o4", name: "Adatum", currency: "EUR", iacv: 200_000, iacv_converted: 200_000 },
          ],
        }),
      ),
    );
    render(ReviewTab, { detail });
    const won = await screen.findByTestId("review-won");
    expect(within(won).getByText("€10,000")).toBeTruthy();
    expect(within(won).getByText("£5,000")).toBeTruthy();
    expect(screen.getByTestId("review-won-total").textContent).toBe("≈ €15,855");
    expect(won.querySelector("tfoot")?.textContent).toContain("In EUR, at the exchange rates in the rules.");
    const lost = screen.getByTestId("review-lost");
    expect(within(lost).getByText("¥900,000")).toBeTruthy();
    expect(screen.getByTestId("review-lost-total").textContent).toBe("≈ €2,000");
    expect(lost.querySelector("tfoot")?.textContent).toContain("Leaves out Tailspin: no exchange rate for JPY.");
  });
});
