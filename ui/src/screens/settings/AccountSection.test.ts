import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { fail, ok } from "../../test/bindings";
import AccountSection from "./AccountSection.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(commands.signIn).mockReturnValue(ok(null));
});

async function fillIn() {
  render(AccountSection);
  await fireEvent.input(screen.getByLabelText(/Server URL/), {
    target: { value: "https://desk.corp.example" },
  });
  await fireEvent.input(screen.getByLabelText(/Email/), { target: { value: "ana@vendor.example" } });
  await fireEvent.input(screen.getByLabelText(/Password/), { target: { value: "secret words" } });
}

describe("signing in", () => {
  it("trusts only the computer's authorities unless a CA is given", async () => {
    await fillIn();
    await fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() =>
      expect(commands.signIn).toHaveBeenCalledWith(
        "https://desk.corp.example",
        "ana@vendor.example",
        "secret words",
        null,
      ),
    );
  });

  it("sends a company CA read from its file", async () => {
    await fillIn();
    const file = new File([PEM], "corp-ca.pem", { type: "application/x-pem-file" });
    await fireEvent.change(screen.getByLabelText(/CA certificate file/), {
      target: { files: [file] },
    });
    await waitFor(() =>
      expect((screen.getByLabelText(/CA certificate \(PEM\)/) as HTMLTextAreaElement).value).toBe(
        PEM,
      ),
    );
    await fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() =>
      expect(commands.signIn).toHaveBeenCalledWith(
        "https://desk.corp.example",
        "ana@vendor.example",
        "secret words",
        PEM.trim(),
      ),
    );
  });

  it("says why a server's certificate is not trusted", async () => {
    vi.mocked(commands.signIn).mockReturnValue(
      fail({
        code: "invalid",
        message:
          "the server's certificate is not trusted (invalid peer certificate: UnknownIssuer); if your company runs its own certificate authority, give its certificate",
      }),
    );
    await fillIn();
    await fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("not trusted");
  });
});
