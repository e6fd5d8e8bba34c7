import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type BadgeCompliance, type PartnerDetail } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import BadgesPanel from "./BadgesPanel.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

const psp: BadgeCompliance = {
  badge_id: "psp",
  badge_name: "Professional Services Partner (PSP)",
  held: true,
  requires_track_compliance: true,
  compliant: false,
  requirements: [],
  closure: { state: "not_closed", short_by: 2 },
  review: {
    next_review: "2027-03-01",
    evidence_from: "2027-02-01",
    status: { state: "in_grace", until: "2026-12-20", compliant_now: false },
  },
  granted_on: "2025-03-10",
  history: [
    { reviewed_on: "2026-03-12", compliant: true, computed_compliant: false, override_reason: "exams booked" },
    { reviewed_on: "2026-09-20", compliant: false, computed_compliant: false, override_reason: null },
  ],
  evidence: [{ sent_on: "2026-02-10", customers: ["Initech", "Globex"] }],
};

function detail(badges: BadgeCompliance[]): PartnerDetail {
  return {
    partner: partner(),
    solution_provider: false,
    checklist: [],
    people: [],
    enablement: [],
    plans: [],
    compliance: {
      partner_id: "p1",
      partner_name: "Acme",
      track: { track: "open", compliant: true, requirements: [], closure: { state: "met" } },
      badges,
    },
  };
}

describe("a partner's badges", () => {
  it("shows a held badge's standing, review month and whole history", () => {
    render(BadgesPanel, { detail: detail([psp]) });
    const item = document.querySelector('[data-badge="psp"]') as HTMLElement;
    expect(within(item).getByText("At risk")).toBeTruthy();
    expect(item.querySelector('[data-state="in_grace"]')?.textContent).toContain("In grace until");
    expect(item.textContent).toMatch(/review March 2027/);
    const history = [...item.querySelectorAll(".history li")].map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(history).toHaveLength(4);
    expect(history[1]).toContain("Initech, Globex");
    expect(history[2]).toMatch(/compliant \(the rules found not compliant; exams booked\)/);
    expect(history[3]).toMatch(/not compliant$/);
  });

  it("records a review as the rules compute it, and an override only with a reason", async () => {
    vi.mocked(commands.recordBadgeReview).mockReturnValue(ok(partner()));
    render(BadgesPanel, { detail: detail([psp]) });
    const user = userEvent.setup();
    const form = screen.getByRole("form", { name: "Record a badge review" });
    await user.selectOptions(within(form).getByLabelText("Review of"), "psp");
    expect(screen.getByTestId("computed-outcome").textContent).toContain("not compliant");
    await user.click(within(form).getByText("Record review"));
    await waitFor(() => expect(commands.recordBadgeReview).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.recordBadgeReview).mock.calls[0][0]).toMatchObject({
      partner: "p1",
      badge: "psp",
      reviewed_on: "2026-11-23",
      compliant: null,
      override_reason: null,
    });

    await user.selectOptions(within(form).getByLabelText("Review of"), "psp");
    await user.selectOptions(within(form).getByLabelText("Outcome"), "compliant");
    await user.type(within(form).getByLabelText("Why"), "two PSEs passed yesterday");
    await user.click(within(form).getByText("Record review"));
    await waitFor(() => expect(commands.recordBadgeReview).toHaveBeenCalledTimes(2));
    expect(vi.mocked(commands.recordBadgeReview).mock.calls[1][0]).toMatchObject({
      compliant: true,
      override_reason: "two PSEs passed yesterday",
    });
  });

  it("records evidence with its customers and shows the core's refusal", async () => {
    vi.mocked(commands.recordBadgeEvidence).mockReturnValue(
      fail({ code: "invalid", message: "sent_on: 2999-01-01 is in the future: record it when it has happened" }),
    );
    render(BadgesPanel, { detail: detail([psp]) });
    const user = userEvent.setup();
    const form = screen.getByRole("form", { name: "Record review evidence" });
    await user.selectOptions(within(form).getByLabelText("Evidence for"), "psp");
    await user.type(within(form).getByLabelText("Customers"), "Initech, Globex Corp");
    await user.click(within(form).getByText("Record evidence"));
    await waitFor(() => expect(commands.recordBadgeEvidence).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.recordBadgeEvidence).mock.calls[0][0]).toMatchObject({
      badge: "psp",
      customers: ["Initech", " Globex Corp"],
    });
    expect((await screen.findByRole("alert")).textContent).toContain("is in the future");
  });
});
