import { describe, expect, it } from "vitest";
import { parseRoute, routeHash } from "./router.svelte";

describe("routes", () => {
  it("round-trip through the hash", () => {
    const partner = { name: "partner" as const, id: "0192-abc", tab: "enablement" as const };
    expect(parseRoute(routeHash(partner))).toEqual(partner);
    expect(parseRoute(routeHash({ name: "settings" }))).toEqual({ name: "settings" });
    expect(parseRoute(routeHash({ name: "accounts" }))).toEqual({ name: "accounts" });
    expect(parseRoute(routeHash({ name: "accounts", id: "a/1" }))).toEqual({ name: "accounts", id: "a/1" });
  });

  it("fall back to Today and to the overview tab", () => {
    expect(parseRoute("")).toEqual({ name: "today" });
    expect(parseRoute("#/nowhere")).toEqual({ name: "today" });
    expect(parseRoute("#/partners/p1/bogus")).toEqual({ name: "partner", id: "p1", tab: "overview" });
  });
});
