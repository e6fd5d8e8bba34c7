import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import PartnerForm from "./PartnerForm.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
});

describe("PartnerForm", () => {
  it("records and withdraws an invitation to become a Training Services Partner", async () => {
    const user = userEvent.setup();
    const acme = partner({ tsp_invited_on: "2026-07-01" });
    vi.mocked(commands.updatePartner).mockReturnValue(ok(acme));
    const onDone = vi.fn();
    render(PartnerForm, { partner: acme, onDone });

    const invited = screen.getByLabelText(/Invited to become a Training Services Partner on/);
    expect((invited as HTMLInputElement).value).toBe("2026-07-01");
    await user.clear(invited);
    await user.click(screen.getByRole("button", { name: "Save partner" }));
    expect(commands.updatePartner).toHaveBeenCalledWith(
      expect.objectContaining({ partner: acme.id, tsp_invited_on: "" }),
    );
    expect(onDone).toHaveBeenCalled();
  });

  it("asks nothing about an invitation when a partner is created", () => {
    render(PartnerForm, { onDone: vi.fn() });
    expect(screen.queryByLabelText(/Training Services Partner/)).toBeNull();
  });
});
