import { render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands, type LevelProgress, type PersonCurriculum } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import CurriculumProgress from "./CurriculumProgress.svelte";
import EnablementTab from "./EnablementTab.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

function level(over: Partial<LevelProgress> & Pick<LevelProgress, "level">): LevelProgress {
  return {
    modules: 10,
    done: 0,
    planned: 0,
    minutes: 300,
    minutes_done: 0,
    points: 0,
    points_done: 0,
    next_module: null,
    ...over,
  };
}

const ann: PersonCurriculum = {
  person_id: "pe1",
  name: "Ann Lee",
  levels: [
    level({ level: "core", done: 4, planned: 2, minutes_done: 120, points: 18, points_done: 9, next_module: "SDLC quiz" }),
    level({ level: "advanced", modules: 3, minutes: 180, next_module: "Migration deep dive" }),
  ],
};

const bo: PersonCurriculum = {
  person_id: "pe2",
  name: "Bo Chen",
  levels: [
    level({ level: "core", done: 10, minutes_done: 300 }),
    level({ level: "advanced", modules: 3, minutes: 180, planned: 3 }),
  ],
};

const text = (el: Element | null | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
const personRow = (name: string) => screen.getByTestId("curriculum-progress").querySelector(`[data-person="${name}"]`);

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("each person's curriculum progress", () => {
  it("is on the partner's Enablement tab", async () => {
    vi.mocked(commands.curriculumProgress).mockReturnValue(ok([ann]));
    render(EnablementTab, {
      detail: {
        partner: partner({ id: "p7" }),
        solution_provider: false,
        checklist: [],
        people: [],
        enablement: [],
        plans: [],
        compliance: {
          partner_id: "p7",
          partner_name: "Northwind Cloud",
          track: { track: "open", compliant: true, requirements: [], closure: { state: "met" } },
          badges: [],
        },
      },
    });
    await waitFor(() => expect(screen.getAllByTestId("curriculum-person").map((r) => r.dataset.person)).toEqual(["Ann Lee"]));
    expect(commands.curriculumProgress).toHaveBeenCalledWith("p7");
  });

  it("shows modules, minutes, points, what is planned and the next module, level by level", async () => {
    vi.mocked(commands.curriculumProgress).mockReturnValue(ok([ann, bo]));
    render(CurriculumProgress, { partner: "p1" });
    await waitFor(() => expect(screen.getAllByTestId("curriculum-person")).toHaveLength(2));
    expect(commands.curriculumProgress).toHaveBeenCalledWith("p1");
    expect(screen.getAllByTestId("curriculum-person").map((r) => r.dataset.person)).toEqual(["Ann Lee", "Bo Chen"]);
    const heads = within(screen.getByTestId("curriculum-progress")).getAllByRole("columnheader");
    expect(heads.map((h) => h.textContent)).toEqual(["Person", "Core", "Advanced"]);

    const [annCore, annAdvanced] = personRow("Ann Lee")!.querySelectorAll("td");
    expect(text(annCore)).toBe("4/10 modules 120/300 min · 9/18 points · 2 planned Next: SDLC quiz");
    const bar = within(annCore).getByRole("progressbar", { name: "Ann Lee: core curriculum" });
    expect(bar.getAttribute("aria-valuenow")).toBe("4");
    expect(bar.getAttribute("aria-valuemax")).toBe("10");
    expect(bar.getAttribute("aria-valuetext")).toContain("2 planned");
    // No points in the level: none shown.
    expect(text(annAdvanced)).toBe("0/3 modules 0/180 min Next: Migration deep dive");

    const [boCore, boAdvanced] = personRow("Bo Chen")!.querySelectorAll("td");
    expect(text(boCore)).toBe("10/10 modules 300/300 min Complete");
    expect(text(boAdvanced)).toBe("0/3 modules 0/180 min · 3 planned Every module left is planned");
  });

  it("reads the progress again when the enablement plan changes", async () => {
    vi.mocked(commands.curriculumProgress).mockReturnValue(ok([ann]));
    render(CurriculumProgress, { partner: "p1" });
    await waitFor(() => expect(text(personRow("Ann Lee")?.querySelector("td"))).toContain("4/10 modules"));
    vi.mocked(commands.curriculumProgress).mockReturnValue(
      ok([{ ...ann, levels: [level({ level: "core", done: 5, next_module: "Pricing" }), ann.levels[1]] }]),
    );
    app.changed();
    await waitFor(() => expect(text(personRow("Ann Lee")?.querySelector("td"))).toContain("5/10 modules"));
    expect(text(personRow("Ann Lee")?.querySelector("td"))).toContain("Next: Pricing");
    expect(commands.curriculumProgress).toHaveBeenCalledTimes(2);
  });

  it("says when the partner has no people, and shows the core's error", async () => {
    vi.mocked(commands.curriculumProgress).mockReturnValue(ok([]));
    const { unmount } = render(CurriculumProgress, { partner: "p1" });
    await waitFor(() => expect(text(screen.getByTestId("curriculum-progress"))).toContain("No people yet."));
    expect(screen.queryAllByTestId("curriculum-person")).toHaveLength(0);
    unmount();

    vi.mocked(commands.curriculumProgress).mockReturnValue(fail({ code: "not_found", message: "partner p9 not found" }));
    render(CurriculumProgress, { partner: "p9" });
    expect(text(await screen.findByRole("alert"))).toBe("partner p9 not found");
  });
});
