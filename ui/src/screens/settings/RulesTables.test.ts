import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type RuleBook } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { fail, ok } from "../../test/bindings";
import { vocabulary } from "../../test/fixtures";
import RulesTables from "./RulesTables.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const book: RuleBook = {
  certifications: [{ id: "c-pse", name: "PSE", validity_months: 24, sort_order: 1 }],
  track_requirements: [{ id: "tr1", track: "select", certification_id: "c-pse", count: 2 }],
  badges: [{ id: "b-sec", name: "Security", requires_track_compliance: true }],
  badge_requirements: [{ id: "br1", badge_id: "b-sec", certification_id: "c-pse", count: 1 }],
  r7_thresholds: [],
  journey_capabilities: [],
  curriculum_modules: [],
};

beforeEach(() => {
  vi.clearAllMocks();
  app.vocabulary = vocabulary();
  toasts.items = [];
  vi.mocked(commands.ruleBook).mockReturnValue(ok(book));
  vi.mocked(commands.setTrackRequirementCount).mockReturnValue(
    ok({ ...book.track_requirements[0], count: 3 }),
  );
  vi.mocked(commands.setBadgeRequirementCount).mockReturnValue(
    ok({ ...book.badge_requirements[0], count: 4 }),
  );
});

describe("the rules tables", () => {
  it("saves a track's count of certified people", async () => {
    render(RulesTables);
    const input = await screen.findByLabelText("Select track: PSE people");
    expect((input as HTMLInputElement).value).toBe("2");
    await fireEvent.change(input, { target: { value: "3" } });
    await waitFor(() =>
      expect(commands.setTrackRequirementCount).toHaveBeenCalledWith({ id: "tr1", count: 3 }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "Saved: Select needs 3 PSE" })]),
    );
  });

  it("saves a badge's count, and shows why the server refused one", async () => {
    vi.mocked(commands.setBadgeRequirementCount).mockReturnValue(
      fail({ code: "server", message: "only an admin edits the rules tables" }),
    );
    render(RulesTables);
    const input = await screen.findByLabelText("Security: PSE people");
    await fireEvent.change(input, { target: { value: "4" } });
    await waitFor(() =>
      expect(commands.setBadgeRequirementCount).toHaveBeenCalledWith({ id: "br1", count: 4 }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([
        expect.objectContaining({ kind: "error", text: expect.stringContaining("only an admin") }),
      ]),
    );
    expect(commands.setTrackRequirementCount).not.toHaveBeenCalled();
  });
});
