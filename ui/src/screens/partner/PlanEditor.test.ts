import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type BusinessPlan } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import PlanEditor from "./PlanEditor.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const at = "2026-11-23T10:00:00.000Z";

function plan(over: Partial<BusinessPlan> = {}): BusinessPlan {
  return {
    id: "plan1",
    partner_id: "p1",
    fiscal_year: 2027,
    goals: "Grow in the Nordics",
    growth_arr_target: 8_000_000,
    new_customer_arr_target: 5_000_000,
    currency: "GBP",
    services_practice: [],
    target_stage: "established",
    marketing_plan: "",
    mdf_requests: [{ activity: "Roadshow", amount: 1_000_000, quarter: "Q2", status: "drafted", reviewed_with_cam_on: null }],
    joint_webinars: 0,
    certification_plan: [],
    kpis: { infrastructure_ready_days: null, first_value_days: null, outcome_achieved_days: null },
    status: "draft",
    created_at: at,
    updated_at: at,
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.getPlan).mockReturnValue(ok(null));
  vi.mocked(commands.getDraft).mockReturnValue(ok(null));
  vi.mocked(commands.savePlan).mockImplementation((c) => ok(plan({ currency: c.currency ?? "USD" })));
});

describe("the business plan's currency", () => {
  it("is the partner's for a new plan, beside each target, and is saved with it", async () => {
    render(PlanEditor, { partner: partner({ currency: "EUR" }), fiscalYear: 2027 });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Business plan FY27" });
    const currency = within(form).getByLabelText("Currency of the targets and MDF") as HTMLSelectElement;
    await waitFor(() => expect(currency.value).toBe("EUR"));
    expect(within(form).getByRole("option", { name: "EUR — Euro" })).toBeTruthy();
    await user.type(within(form).getByLabelText("Growth ARR target EUR"), "80000");
    await user.type(within(form).getByLabelText("New-customer ARR target EUR"), "50000");
    // A new plan has no saved currency to warn about.
    await user.selectOptions(currency, "NOK");
    expect(within(form).queryByTestId("plan-currency-changed")).toBeNull();
    expect(within(form).getByLabelText("Growth ARR target NOK")).toBeTruthy();
    await user.click(within(form).getByRole("button", { name: "Save plan" }));
    await waitFor(() => expect(commands.savePlan).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.savePlan).mock.calls[0][0]).toEqual(
      expect.objectContaining({
        partner: "p1",
        fiscal_year: 2027,
        growth_arr_target: "80000",
        new_customer_arr_target: "50000",
        currency: "NOK",
      }),
    );
  });

  it("is the plan's once saved; changing it says the amounts are not converted", async () => {
    vi.mocked(commands.getPlan).mockReturnValue(ok(plan()));
    render(PlanEditor, { partner: partner({ currency: "EUR" }), fiscalYear: 2027 });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Business plan FY27" });
    const growth = (await within(form).findByLabelText("Growth ARR target GBP")) as HTMLInputElement;
    expect(growth.value).toBe("80000");
    expect(within(form).getByLabelText("Amount GBP")).toBeTruthy();
    await user.selectOptions(within(form).getByLabelText("Currency of the targets and MDF"), "EUR");
    expect(within(form).getByTestId("plan-currency-changed").textContent).toContain("now in EUR, not GBP");
    expect(within(form).getByLabelText("Amount EUR")).toBeTruthy();
    await user.click(within(form).getByRole("button", { name: "Save plan" }));
    await waitFor(() => expect(commands.savePlan).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.savePlan).mock.calls[0][0]).toEqual(
      expect.objectContaining({ currency: "EUR", growth_arr_target: "80000" }),
    );
    await waitFor(() => expect(within(form).queryByTestId("plan-currency-changed")).toBeNull());
  });

  it("restores a draft kept before plans had a currency in the plan's", async () => {
    vi.mocked(commands.getPlan).mockReturnValue(ok(plan()));
    const old = { goals: "Typed before the update", growth_arr_target: "90000" };
    vi.mocked(commands.getDraft).mockReturnValue(
      ok({ key: "plan:p1:2027", body: JSON.stringify(old), updated_at: at }),
    );
    render(PlanEditor, { partner: partner({ currency: "EUR" }), fiscalYear: 2027 });
    const form = await screen.findByRole("form", { name: "Business plan FY27" });
    const growth = (await within(form).findByLabelText("Growth ARR target GBP")) as HTMLInputElement;
    expect(growth.value).toBe("90000");
    expect(screen.getByRole("status").textContent).toContain("Restored unsaved changes");
  });
});

describe("the plan's draft", () => {
  it("is not kept for a plan only opened, so the next visit restores nothing", async () => {
    vi.mocked(commands.getPlan).mockReturnValue(ok(plan()));
    // A draft an older version kept of the plan as it was: nothing to restore.
    vi.mocked(commands.getDraft).mockReturnValue(
      ok({ key: "plan:p1:2027", body: JSON.stringify({ goals: "Grow in the Nordics" }), updated_at: at }),
    );
    render(PlanEditor, { partner: partner(), fiscalYear: 2027 });
    await screen.findByDisplayValue("Grow in the Nordics");
    await waitFor(() => expect(commands.discardDraft).toHaveBeenCalledWith("plan:p1:2027"));
    expect(screen.queryByText(/Restored unsaved changes/)).toBeNull();
    expect(commands.saveDraft).not.toHaveBeenCalled();
  });

  it("is kept once the plan is edited, and dropped when it is saved", async () => {
    vi.mocked(commands.getPlan).mockReturnValue(ok(plan()));
    render(PlanEditor, { partner: partner(), fiscalYear: 2027 });
    const user = userEvent.setup();
    const goals = await screen.findByDisplayValue("Grow in the Nordics");
    await user.type(goals, " and Baltics");
    await waitFor(() => expect(commands.saveDraft).toHaveBeenCalled());
    const kept = JSON.parse(vi.mocked(commands.saveDraft).mock.lastCall![1]);
    expect(kept.goals).toBe("Grow in the Nordics and Baltics");
    vi.mocked(commands.discardDraft).mockClear();
    await user.click(screen.getByRole("button", { name: "Save plan" }));
    await waitFor(() => expect(commands.savePlan).toHaveBeenCalled());
    await waitFor(() => expect(commands.discardDraft).toHaveBeenCalledWith("plan:p1:2027"));
  });
});
