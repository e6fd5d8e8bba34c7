import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { ok } from "../../test/bindings";
import { appInfo, converted, dealLine, digest, note, partner, stepLine, vocabulary } from "../../test/fixtures";
import TodayScreen from "./TodayScreen.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

// jsdom has no canvas: the chart is drawn by chart.js in the real app.
vi.mock("chart.js", () => {
  class Chart {
    static register() {}
    destroy() {}
  }
  return { Chart, BarController: {}, BarElement: {}, CategoryScale: {}, LinearScale: {}, Tooltip: {} };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.phdReviews).mockReturnValue(ok([]));
});

describe("Today", () => {
  it("lists overdue steps with how late they are, and partners with gaps", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(
      ok(
        digest({
          overdue_next_steps: [stepLine({}, 1)],
          compliance_gaps: [
            {
              partner_id: "p1",
              partner_name: "Northwind Cloud",
              track: "open",
              track_compliant: false,
              missing: [{ certification: "Sales Core", count: 1 }],
              badges_at_risk: [],
              closure: { state: "planned", on: "2026-12-23", overdue: false },
            },
          ],
          pipeline: [{ stage: "proposal", count: 2, amount: 2_500_000 }],
        }),
      ),
    );
    render(TodayScreen);
    const overdue = await screen.findByTestId("overdue");
    expect(within(overdue).getByText("Send the SOW")).toBeTruthy();
    expect(within(overdue).getByText("1 day overdue")).toBeTruthy();
    const gaps = screen.getByTestId("compliance-gaps");
    expect(within(gaps).getByText(/1 × Sales Core/)).toBeTruthy();
    expect(within(gaps).getByText(/Closes by/)).toBeTruthy();
    expect(screen.getByText("$25,000 open")).toBeTruthy();
  });

  it("sums the pipeline in its currency and says how deals in others were converted", async () => {
    const lines = [
      "Amounts in EUR converted to USD at the exchange rates in the rules: 1 EUR = 1.0845 USD (2026-12-01).",
      "No exchange rate for JPY: amounts in it are left out of these sums until an admin adds the rate to the rules.",
    ];
    vi.mocked(commands.todayDigest).mockReturnValue(
      ok(
        digest({
          pipeline: [
            { stage: "discovery", count: 1, amount: 500_000 },
            { stage: "proposal", count: 2, amount: 2_500_000 },
          ],
          pipeline_conversion: converted({ missing: ["JPY"], lines }),
        }),
      ),
    );
    render(TodayScreen);
    expect((await screen.findByTestId("pipeline-total")).textContent).toBe("$30,000 open");
    const note = screen.getByRole("list", { name: "How amounts were converted" });
    const items = Array.from(note.querySelectorAll("li"));
    expect(items.map((li) => li.textContent)).toEqual(lines);
    expect(items.map((li) => li.classList.contains("warn"))).toEqual([false, true]);
  });

  it("shows an award task as one and says the badge was awarded when it is done", async () => {
    const award = stepLine({
      id: "award-p1-psp",
      description: "Award Professional Services Partner (PSP) to Northwind Cloud: email the partner",
      award_badge_id: "psp",
      owner: "cam@vendor.example",
    });
    vi.mocked(commands.todayDigest).mockReturnValue(ok(digest({ due_soon: [award] })));
    vi.mocked(commands.setNextStepDone).mockReturnValue(ok(award.step));
    render(TodayScreen);
    const user = userEvent.setup();
    const card = await screen.findByTestId("due-soon");
    await waitFor(() => expect(within(card).getByText("Award")).toBeTruthy());
    await user.click(within(card).getByText("Awarded"));
    expect(commands.setNextStepDone).toHaveBeenCalledWith("award-p1-psp", true);
    await waitFor(() => expect(toasts.items.map((t) => t.text)).toContain("Badge awarded to Northwind Cloud"));
  });

  it("marks a step done and reloads", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(ok(digest({ overdue_next_steps: [stepLine({}, 3)] })));
    vi.mocked(commands.setNextStepDone).mockReturnValue(ok(stepLine().step));
    render(TodayScreen);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Mark “Send the SOW” done/ }));
    expect(commands.setNextStepDone).toHaveBeenCalledWith("s1", true);
    await waitFor(() => expect(commands.todayDigest).toHaveBeenCalledTimes(2));
  });

  it("shows the first lines and says how many more there are", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(
      ok(digest({ overdue_next_steps: [stepLine({}, 9)] }, { overdue_next_steps: 40 })),
    );
    render(TodayScreen);
    const overdue = await screen.findByTestId("overdue");
    expect(within(overdue).getByText("40")).toBeTruthy();
    expect(within(overdue).getByText("and 39 more")).toBeTruthy();
  });

  it("offers demo data on an empty desk", async () => {
    app.info = appInfo({ partner_count: 0 });
    vi.mocked(commands.todayDigest).mockReturnValue(ok(digest()));
    render(TodayScreen);
    expect(await screen.findByText("Load demo data")).toBeTruthy();
    expect(await screen.findByText("Nothing overdue.")).toBeTruthy();
  });
});

describe("Today, for me", () => {
  it("asks for the scope the person picks", async () => {
    vi.mocked(commands.todayDigest).mockImplementation((scope) => ok(digest({ scope: scope ?? "mine" })));
    render(TodayScreen);
    const user = userEvent.setup();
    const mine = await screen.findByRole("radio", { name: "Mine" });
    expect(mine.getAttribute("aria-checked")).toBe("true");
    expect(commands.todayDigest).toHaveBeenLastCalledWith(null);
    await user.click(screen.getByRole("radio", { name: "My team" }));
    await waitFor(() => expect(commands.todayDigest).toHaveBeenLastCalledWith("team"));
    await waitFor(() => expect(screen.getByRole("radio", { name: "My team" }).getAttribute("aria-checked")).toBe("true"));
  });

  it("saves the shown scope's dates as a calendar file", async () => {
    vi.mocked(commands.todayDigest).mockImplementation((scope) => ok(digest({ scope: scope ?? "mine" })));
    vi.mocked(commands.exportCalendar).mockReturnValue(ok("/home/cam/Channel Desk.ics"));
    render(TodayScreen);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "My team" }));
    await waitFor(() => expect(screen.getByRole("radio", { name: "My team" }).getAttribute("aria-checked")).toBe("true"));
    await user.click(screen.getByText("Add to calendar…"));
    await waitFor(() => expect(commands.exportCalendar).toHaveBeenCalledWith("team", "dialog"));
    await waitFor(() =>
      expect(toasts.items.map((t) => t.text)).toContain("Calendar saved to /home/cam/Channel Desk.ics"),
    );
  });

  it("lists the PHD reviews due and records one with what it found", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(ok(digest({ scope: "team" })));
    vi.mocked(commands.phdReviews).mockReturnValue(
      ok([
        {
          partner_id: "p1",
          partner_name: "Northwind Cloud",
          track: "open",
          cadence: "monthly",
          last_review: "2026-10-16",
          due_on: "2026-11-13",
          overdue: true,
        },
      ]),
    );
    vi.mocked(commands.recordPhdReview).mockReturnValue(ok(partner()));
    render(TodayScreen);
    const user = userEvent.setup();
    const card = await screen.findByTestId("phd-reviews");
    await waitFor(() => expect(within(card).getByText("Northwind Cloud")).toBeTruthy());
    expect(commands.phdReviews).toHaveBeenLastCalledWith("team");
    expect(card.textContent).toMatch(/Overdue since/);
    await user.click(within(card).getByText("Reviewed…"));
    await user.type(within(card).getByLabelText("What the review found"), "Portal users cleaned up");
    await user.click(within(card).getByText("Save review"));
    await waitFor(() =>
      expect(commands.recordPhdReview).toHaveBeenCalledWith({
        partner: "p1",
        reviewed_on: "2026-11-23",
        note: "Portal users cleaned up",
      }),
    );
  });

  it("names the CAM to chase an overdue partner task and logs the request for an update", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(ok(digest({ overdue_next_steps: [stepLine({}, 3)] })));
    vi.mocked(commands.requestUpdate).mockImplementation((r) =>
      ok({
        note: { ...note(), title: "Update requested: Send the SOW" },
        step: { ...stepLine().step, due_on: r.due_on ?? "" },
      }),
    );
    render(TodayScreen);
    const user = userEvent.setup();
    const overdue = await screen.findByTestId("overdue");
    expect(within(overdue).getByText("Chase: cam@vendor.example")).toBeTruthy();
    await user.click(within(overdue).getByRole("button", { name: "Request an update on “Send the SOW”" }));
    const form = within(overdue).getByRole("form", { name: "Request an update on Send the SOW" });
    expect((within(form).getByLabelText("New date") as HTMLInputElement).value).toBe("2026-11-30");
    await user.type(within(form).getByLabelText("Said"), "Waiting on legal");
    await user.click(within(form).getByText("Log the request"));
    await waitFor(() => expect(commands.requestUpdate).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.requestUpdate).mock.calls[0][0]).toMatchObject({
      step: "s1",
      due_on: "2026-11-30",
      message: "Waiting on legal",
    });
  });

  it("lists what R7 asks, each row leading to where it is fixed", async () => {
    vi.mocked(commands.todayDigest).mockReturnValue(
      ok(
        digest({
          r7_gaps: [
            {
              opportunity_id: "o1",
              opportunity_name: "Initech Premium",
              account_id: "a1",
              account_name: "Initech",
              partner_id: null,
              amount: 1_200_000,
              currency: "EUR",
              check: dealLine().r7,
            },
          ],
          untiered_accounts: [
            { account_id: "a2", account_name: "Hooli", open_opportunities: 0, carr: 900_000, currency: "USD" },
            { account_id: "a3", account_name: "Hooli KK", open_opportunities: 1, carr: 90_000_000, currency: "JPY" },
          ],
          notes_missing_mark: [
            { id: "n9", title: "Call with Hooli", via_partner: true, partner_name: "Northwind Cloud", author: "ae", occurred_at: "2026-11-20T10:00:00.000Z" },
          ],
        }),
      ),
    );
    vi.mocked(commands.updateNote).mockReturnValue(ok({ ...note(), title: "Call with Hooli (ii)" }));
    render(TodayScreen);
    const user = userEvent.setup();
    const deals = await screen.findByTestId("r7-deals");
    expect(within(deals).getByText("Full command plan")).toBeTruthy();
    expect(within(deals).getByText("Custom pitch deck")).toBeTruthy();
    expect(within(deals).getByText("Initech · €12,000")).toBeTruthy();
    const untiered = screen.getByTestId("untiered-accounts");
    expect(within(untiered).getByText(/customer, CARR \$9,000/)).toBeTruthy();
    expect(within(untiered).getByText("customer, CARR ¥900,000 · 1 open deal(s)")).toBeTruthy();
    await user.click(within(deals).getByText("Initech Premium"));
    expect(location.hash).toBe("#/accounts/a1");
    await user.click(screen.getByRole("button", { name: "Add (ii) to “Call with Hooli”" }));
    await waitFor(() =>
      expect(commands.updateNote).toHaveBeenCalledWith({ note: "n9", title: null, body: null, via_partner: true }),
    );
  });
});
