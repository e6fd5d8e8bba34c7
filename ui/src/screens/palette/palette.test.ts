import { describe, expect, it } from "vitest";
import { actionsMatching, hitRoute } from "./palette";

describe("the palette", () => {
  it("offers the actions whose names contain every typed word", () => {
    expect(actionsMatching("").length).toBeGreaterThan(3);
    expect(actionsMatching("call note").map((a) => a.label)).toEqual(["Log a call note"]);
    expect(actionsMatching("zebrafish")).toEqual([]);
  });

  it("opens the screen of a hit's partner, on the tab of its kind", () => {
    const base = { id: "x", title: "t", snippet: [], score: 0, partner_id: "p1" };
    expect(hitRoute({ ...base, kind: "partner", id: "p9" })).toEqual({ name: "partner", id: "p9", tab: "overview" });
    expect(hitRoute({ ...base, kind: "plan" })).toEqual({ name: "partner", id: "p1", tab: "plan" });
    expect(hitRoute({ ...base, kind: "note" })).toEqual({ name: "partner", id: "p1", tab: "coselling" });
    expect(hitRoute({ ...base, kind: "next_step", partner_id: null })).toEqual({ name: "today" });
  });
});
