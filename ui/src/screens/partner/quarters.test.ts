import { describe, expect, it } from "vitest";
import { quarterLabel, quartersBack } from "./quarters";

describe("fiscal quarters", () => {
  it("are labelled as the core labels them and counted back across fiscal years", () => {
    expect(quarterLabel({ fiscal_year: 2027, quarter: 3 })).toBe("Q3 FY27");
    expect(quartersBack({ fiscal_year: 2027, quarter: 2 }, 4)).toEqual(["Q2 FY27", "Q1 FY27", "Q4 FY26", "Q3 FY26"]);
  });
});
