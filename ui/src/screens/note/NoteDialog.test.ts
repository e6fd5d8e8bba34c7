import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { dialogs } from "../../lib/stores/dialogs.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, note, partner, vocabulary } from "../../test/fixtures";
import NoteDialog from "./NoteDialog.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.listPartners).mockReturnValue(ok([partner()]));
  vi.mocked(commands.listAccounts).mockReturnValue(ok([]));
  vi.mocked(commands.getDraft).mockReturnValue(ok(null));
  vi.mocked(commands.saveDraft).mockImplementation((key, body) =>
    ok({ key, body, updated_at: "2026-11-23T10:00:00.000Z" }),
  );
  vi.mocked(commands.discardDraft).mockReturnValue(ok(null));
  dialogs.openNote({ partner: "p1" });
});

describe("the call-note dialog", () => {
  it("names the preset partner and sends the note with its next steps", async () => {
    vi.mocked(commands.logNote).mockReturnValue(ok({ note: note(), next_steps: [] }));
    render(NoteDialog, { preset: { partner: "p1" } });
    const user = userEvent.setup();
    const partnerInput = await screen.findByLabelText("Partner");
    await waitFor(() => expect((partnerInput as HTMLInputElement).value).toBe("Northwind Cloud"));

    await user.type(screen.getByLabelText("Title"), "Kickoff");
    await user.click(screen.getByLabelText("Via the Partner"));
    expect(screen.getByText("(ii)")).toBeTruthy();
    await user.click(screen.getByText("Add next step"));
    await user.type(screen.getByLabelText("What"), "Send the SOW");
    await fireEvent.input(screen.getByLabelText("Due"), { target: { value: "2026-11-22" } });
    await user.click(screen.getByText(/Save note/));

    await waitFor(() => expect(commands.logNote).toHaveBeenCalled());
    const sent = vi.mocked(commands.logNote).mock.calls[0][0];
    expect(sent).toMatchObject({
      title: "Kickoff",
      via_partner: true,
      partner: "Northwind Cloud",
      author: "cam@vendor.example",
      next_steps: [{ description: "Send the SOW", due_on: "2026-11-22", owner: "cam@vendor.example" }],
    });
    await waitFor(() => expect(commands.discardDraft).toHaveBeenCalledWith("note:new"));
    expect(dialogs.note).toBeNull();
  });

  it("keeps what is typed as a draft", async () => {
    render(NoteDialog, { preset: {} });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Title"), "Half-written");
    await waitFor(() => expect(commands.saveDraft).toHaveBeenCalled(), { timeout: 2000 });
    const [key, body] = vi.mocked(commands.saveDraft).mock.calls.at(-1) ?? [];
    expect(key).toBe("note:new");
    expect(JSON.parse(body ?? "{}").title).toBe("Half-written");
    await screen.findByText(/Draft saved/);
  });

  it("restores a draft left by a quit or a crash", async () => {
    const body = JSON.stringify({
      title: "Where was I",
      body: "pricing",
      via_partner: false,
      partner: "",
      account: "",
      opportunity: "",
      occurred_on: "2026-11-23",
      next_steps: [],
    });
    vi.mocked(commands.getDraft).mockReturnValue(ok({ key: "note:new", body, updated_at: "2026-11-23T10:00:00.000Z" }));
    render(NoteDialog, { preset: {} });
    await screen.findByText("Restored the note you were writing.");
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Where was I");
  });

  it("shows the core's message when the note is refused, and keeps the dialog open", async () => {
    vi.mocked(commands.logNote).mockReturnValue(
      fail({ code: "invalid", message: "partner: a note captured via the partner names the partner" }),
    );
    render(NoteDialog, { preset: {} });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Title"), "Call");
    await user.click(screen.getByText(/Save note/));
    await screen.findByText("partner: a note captured via the partner names the partner");
    expect(dialogs.note).not.toBeNull();
  });
});
