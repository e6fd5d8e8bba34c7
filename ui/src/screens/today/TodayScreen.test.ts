import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, digest, stepLine, vocabulary } from "../../test/fixtures";
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
