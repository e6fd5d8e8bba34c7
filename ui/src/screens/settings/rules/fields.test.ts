import { describe, expect, it } from "vitest";
import { byVocabulary, nextSortOrder, wholeNumber } from "./fields";

describe("what an admin types into a rules row", () => {
  it("reads whole numbers, blank only when optional", () => {
    expect(wholeNumber("count", "3")).toBe(3);
    expect(wholeNumber("count", 4)).toBe(4);
    expect(wholeNumber("minutes", "", true)).toBeNull();
    expect(wholeNumber("minutes", undefined, true)).toBeNull();
    expect(() => wholeNumber("count", "")).toThrow('count: "" is not a whole number');
    expect(() => wholeNumber("count", "2.5")).toThrow('count: "2.5" is not a whole number');
  });

  it("puts a new row last, and rows in their vocabulary's order", () => {
    expect(nextSortOrder([])).toBe(1);
    expect(nextSortOrder([{ sort_order: 7 }, { sort_order: 3 }])).toBe(8);
    const choices = [
      { code: "open", label: "Open" },
      { code: "select", label: "Select" },
    ];
    const rows = [
      { code: "select", n: 1 },
      { code: "unknown", n: 0 },
      { code: "open", n: 2 },
      { code: "open", n: 1 },
    ];
    expect(byVocabulary(rows, choices, (r) => r.code, (a, b) => a.n - b.n).map((r) => `${r.code}${r.n}`)).toEqual([
      "open1",
      "open2",
      "select1",
      "unknown0",
    ]);
  });
});
