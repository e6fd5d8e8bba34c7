import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type RuleBook } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, vocabulary } from "../../test/fixtures";
import RulesTables from "./RulesTables.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const book: RuleBook = {
  certifications: [{ id: "c-pse", name: "PSE", validity_months: 24, sort_order: 1 }],
  track_requirements: [{ id: "tr1", track: "select", certification_id: "c-pse", count: 2 }],
  badges: [
    {
      id: "b-sec",
      name: "Security",
      requires_track_compliance: true,
      review_every_months: 12,
      evidence_lead_months: 1,
      grace_months: 3,
    },
  ],
  badge_requirements: [{ id: "br1", badge_id: "b-sec", certification_id: "c-pse", count: 1 }],
  r7_thresholds: [],
  journey_capabilities: [],
  curriculum_modules: [],
};

beforeEach(() => {
  vi.clearAllMocks();
  app.vocabulary = vocabulary();
  app.info = appInfo();
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
  it("are read only for anyone but an admin, with the badges' review cadence shown", async () => {
    app.info = appInfo({ may_edit_rules: false });
    render(RulesTables);
    const input = (await screen.findByLabelText("Select track: PSE people")) as HTMLInputElement;
    expect(input.disabled).toBe(true);
    expect(screen.getByTestId("rules-read-only").textContent).toContain("only a program admin");
    expect(screen.getByText("12 months")).toBeTruthy();
  });

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
