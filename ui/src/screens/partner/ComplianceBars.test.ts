import { render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PartnerCompliance } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { vocabulary } from "../../test/fixtures";
import ComplianceBars from "./ComplianceBars.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  app.vocabulary = vocabulary();
});

const compliance: PartnerCompliance = {
  partner_id: "p1",
  partner_name: "Northwind Cloud",
  track: {
    track: "open",
    compliant: false,
    closure: { state: "planned", on: "2027-01-07", overdue: false },
    requirements: [
      {
        certification_id: "sales-core",
        certification_name: "Sales Core",
        required: 2,
        certified: 1,
        missing: 1,
        planned: 1,
        undated: 0,
        closure: { state: "planned", on: "2026-12-23", overdue: false },
      },
      {
        certification_id: "sa-core",
        certification_name: "Solution Architect (SA) Core",
        required: 1,
        certified: 0,
        missing: 1,
        planned: 0,
        undated: 1,
        closure: { state: "not_closed", short_by: 1 },
      },
    ],
  },
  badges: [],
};

describe("compliance bars", () => {
  it("show progress against each requirement and when the plan closes the gap", () => {
    render(ComplianceBars, { compliance });
    const track = screen.getByTestId("compliance-track");
    expect(within(track).getByText("Gap")).toBeTruthy();
    const bar = within(track).getByRole("progressbar", { name: "Open track: Sales Core" });
    expect(bar.getAttribute("aria-valuetext")).toBe("1 of 2 certified, 1 planned");
    expect(within(track).getByText(/1\/2 certified · 1 planned/)).toBeTruthy();
    expect(within(track).getByText("Plan falls short by 1")).toBeTruthy();
    expect(within(track).getAllByText(/Closes by/).length).toBe(2);
  });
});
