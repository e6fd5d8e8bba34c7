import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type CamRollup } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, converted, vocabulary } from "../../test/fixtures";
import RollupScreen from "./RollupScreen.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

function cam(name: string, over: Partial<CamRollup> = {}): CamRollup {
  return {
    cam: name,
    partners: 2,
    compliance_gaps: 1,
    plans_agreed: 1,
    arr_target: 15_000_000,
    arr_won: 1_900_000,
    open_pipeline: 700_000,
    overdue_tasks: 1,
    lines: [
      {
        partner_id: "p1",
        partner_name: "Northwind Cloud",
        track: "open",
        compliance_gap: true,
        plan_status: "agreed",
        arr_target: 15_000_000,
        arr_won: 1_700_000,
        open_pipeline: 700_000,
        overdue_tasks: 1,
      },
    ],
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  location.hash = "";
});

describe("the manager's roll-up", () => {
  it("shows each CAM against target, sorts, and drills into a CAM's partner", async () => {
    vi.mocked(commands.rollup).mockReturnValue(
      ok({
        fiscal_year: 2027,
        currency: "USD",
        conversion: converted(),
        cams: [cam("cam@vendor.example", { arr_won: 9_000_000 }), cam("ana@vendor.example")],
      }),
    );
    render(RollupScreen);
    const user = userEvent.setup();
    const table = await screen.findByTestId("rollup");
    expect(commands.rollup).toHaveBeenCalledWith(2027, "team");
    const names = () => within(table).getAllByRole("button", { name: /@vendor/ }).map((b) => b.textContent?.trim());
    expect(names()).toEqual(["▸ ana@vendor.example", "▸ cam@vendor.example"]);
    await user.click(within(table).getByText("Closed won / target"));
    expect(names()).toEqual(["▸ cam@vendor.example", "▸ ana@vendor.example"]);
    await user.click(within(table).getByText(/Closed won \/ target/));
    expect(names()).toEqual(["▸ ana@vendor.example", "▸ cam@vendor.example"]);
    // ana: $19,000 won of $150,000.
    expect(within(table).getByText("$19,000 / $150,000 (13%)")).toBeTruthy();

    await user.click(within(table).getByRole("button", { name: "▸ cam@vendor.example" }));
    await user.click(within(table).getByText("Northwind Cloud"));
    expect(location.hash).toBe("#/partners/p1/overview");
  });

  it("asks again for another year and scope", async () => {
    vi.mocked(commands.rollup).mockReturnValue(
      ok({ fiscal_year: 2027, currency: "USD", conversion: converted(), cams: [] }),
    );
    render(RollupScreen);
    const user = userEvent.setup();
    expect(await screen.findByText("No partners in view.")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Partners"), "everyone");
    await user.selectOptions(screen.getByLabelText("Fiscal year"), "2028");
    await waitFor(() => expect(commands.rollup).toHaveBeenLastCalledWith(2028, "everyone"));
  });

  it("shows every amount in the roll-up's currency, with how other currencies were converted", async () => {
    const lines = [
      "Amounts in EUR and JPY converted to USD at the exchange rates in the rules: 1 EUR = 1.0845 USD (2026-12-01), 1 JPY = 0.006712 USD (2026-12-01).",
      "No exchange rate for BRL: amounts in it are left out of these sums until an admin adds the rate to the rules.",
    ];
    vi.mocked(commands.rollup).mockReturnValue(
      ok({
        fiscal_year: 2027,
        currency: "USD",
        conversion: converted({ missing: ["BRL"], lines }),
        cams: [cam("ana@vendor.example")],
      }),
    );
    render(RollupScreen);
    const table = await screen.findByTestId("rollup");
    expect(within(table).getByText("$19,000 / $150,000 (13%)")).toBeTruthy();
    expect(screen.getByTestId("rollup-currency").textContent).toBe("Amounts in USD.");
    const note = screen.getByRole("list", { name: "How amounts were converted" });
    expect(Array.from(note.querySelectorAll("li")).map((li) => [li.textContent, li.classList.contains("warn")])).toEqual([
      [lines[0], false],
      [lines[1], true],
    ]);
  });
});
