import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { dialogs } from "../../lib/stores/dialogs.svelte";
import { router } from "../../lib/stores/router.svelte";
import { ok } from "../../test/bindings";
import CommandPalette from "./CommandPalette.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  dialogs.openPalette();
});

describe("the command palette", () => {
  it("highlights matched words as text, never as HTML", async () => {
    vi.mocked(commands.search).mockReturnValue(
      ok([
        {
          kind: "note",
          id: "n1",
          title: "Kickoff (ii)",
          snippet: [
            { text: "the ", hit: false },
            { text: "zebrafish", hit: true },
            { text: " <img src=x onerror=alert(1)>", hit: false },
          ],
          partner_id: "p1",
          score: -1,
        },
      ]),
    );
    const { container } = render(CommandPalette);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Search"), "zebrafish");
    await screen.findByText("Kickoff (ii)");
    expect(commands.search).toHaveBeenLastCalledWith("zebrafish", 30);
    expect(container.ownerDocument.querySelector("mark")?.textContent).toBe("zebrafish");
    expect(container.ownerDocument.querySelector("#palette-results img")).toBeNull();
    expect(screen.getByText(/onerror=alert/)).toBeTruthy();
  });

  it("opens a hit with the keyboard", async () => {
    vi.mocked(commands.search).mockReturnValue(
      ok([{ kind: "plan", id: "b1", title: "FY27 business plan: Acme", snippet: [], partner_id: "p7", score: -1 }]),
    );
    render(CommandPalette);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Search"), "acme plan ");
    await screen.findByText("FY27 business plan: Acme");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(router.route).toEqual({ name: "partner", id: "p7", tab: "plan" }));
    expect(dialogs.palette).toBe(false);
  });
});
