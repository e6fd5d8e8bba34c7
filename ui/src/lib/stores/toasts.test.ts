import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { toasts } from "./toasts.svelte";

describe("toasts", () => {
  it("show the three newest at most", () => {
    for (const t of ["a", "b", "c", "d"]) toasts.show(t);
    expect(toasts.items.map((t) => t.text)).toEqual(["b", "c", "d"]);
    for (const t of [...toasts.items]) toasts.dismiss(t.id);
  });

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("go away on their own, errors last longer", () => {
    toasts.show("Saved");
    toasts.error(new Error("Refused"));
    expect(toasts.items.map((t) => t.text)).toEqual(["Saved", "Refused"]);
    vi.advanceTimersByTime(4100);
    expect(toasts.items.map((t) => t.text)).toEqual(["Refused"]);
    vi.advanceTimersByTime(4000);
    expect(toasts.items).toEqual([]);
  });
});
