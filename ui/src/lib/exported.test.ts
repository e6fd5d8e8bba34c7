import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { commands } from "./bindings";
import Toasts from "./components/Toasts.svelte";
import { toastExported } from "./exported";
import { toasts } from "./stores/toasts.svelte";
import { fail, ok } from "../test/bindings";

vi.mock("./bindings", async () => {
  const m = await import("../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const PATH = "/data/exports/Northwind Cloud - FY27 business plan.md";

describe("an export's toast", () => {
  afterEach(() => {
    for (const t of [...toasts.items]) toasts.dismiss(t.id);
    vi.useRealTimers();
  });

  it("offers Show in folder, which reveals the exported file", async () => {
    vi.mocked(commands.showInFolder).mockReturnValue(ok(null));
    render(Toasts);
    toastExported(`Exported to ${PATH}`, PATH);
    await fireEvent.click(await screen.findByRole("button", { name: "Show in folder" }));
    expect(commands.showInFolder).toHaveBeenCalledWith(PATH);
  });

  it("says why when the file cannot be shown", async () => {
    vi.mocked(commands.showInFolder).mockReturnValue(
      fail({ code: "invalid", message: `${PATH} is not a file Channel Desk exported` }),
    );
    render(Toasts);
    toastExported(`Exported to ${PATH}`, PATH);
    await fireEvent.click(await screen.findByRole("button", { name: "Show in folder" }));
    expect(await screen.findByText(`${PATH} is not a file Channel Desk exported`)).toBeTruthy();
  });

  it("stays long enough to reach its button", () => {
    vi.useFakeTimers();
    toastExported(`Exported to ${PATH}`, PATH);
    toasts.show("Saved");
    vi.advanceTimersByTime(4100);
    expect(toasts.items.map((t) => t.text)).toEqual([`Exported to ${PATH}`]);
    vi.advanceTimersByTime(4000);
    expect(toasts.items).toEqual([]);
  });

  it("only export toasts carry the button", async () => {
    render(Toasts);
    toasts.show("Saved");
    await screen.findByText("Saved");
    expect(screen.queryByRole("button", { name: "Show in folder" })).toBeNull();
  });
});
