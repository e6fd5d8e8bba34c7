import { describe, expect, it } from "vitest";
import { date, money } from "./format";

describe("how amounts and dates read", () => {
  it("shows a calendar date without a time-zone shift, and a timestamp as its local day", () => {
    const local = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
    expect(date("2026-11-23")).toBe(local.format(new Date(2026, 10, 23)));
    expect(date("2026-12-07T12:00:00.000Z")).toBe(local.format(new Date("2026-12-07T12:00:00.000Z")));
    expect(date(null)).toBe("—");
  });

  it("shows cents as whole dollars", () => {
    expect(money(1_500_000)).toBe("$15,000");
  });
});
