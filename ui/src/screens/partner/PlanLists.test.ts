import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../lib/stores/app.svelte";
import { appInfo, vocabulary } from "../../test/fixtures";
import PlanLists from "./PlanLists.svelte";
import { formOf } from "./planForm";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("the plan's MDF requests", () => {
  it("dates the review with the CAM when a request moves past drafted", async () => {
    const form = formOf(null);
    form.mdf_requests = [
      { activity: "Roadshow", amount: "1000", quarter: "Q2", status: "drafted", reviewed_with_cam_on: null },
    ];
    render(PlanLists, { form, certifications: [] });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Status of MDF request 1"), "submitted");
    expect(form.mdf_requests[0]).toMatchObject({ status: "submitted", reviewed_with_cam_on: "2026-11-23" });
  });
});
