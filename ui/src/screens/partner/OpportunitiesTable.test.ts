import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { commands } from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { ok } from "../../test/bindings";
import { appInfo, dealLine, partner, vocabulary } from "../../test/fixtures";
import OpportunitiesTable from "./OpportunitiesTable.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  vi.mocked(commands.listOpportunities).mockReturnValue(ok([dealLine()]));
  vi.mocked(commands.listAccounts).mockReturnValue(ok([]));
  vi.mocked(commands.listPartners).mockReturnValue(ok([partner(), partner({ id: "p2", name: "Globex" })]));
  vi.mocked(commands.updateOpportunity).mockImplementation((c) => ok({ ...dealLine().opportunity, name: c.name ?? "Initech Premium" }));
});

describe("a partner's deals", () => {
  it("asks why a deal was won before closing it, in place", async () => {
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    const stage = await screen.findByLabelText("Stage of Initech Premium");
    expect(screen.getByText("No next step")).toBeTruthy();

    await user.selectOptions(stage, "closed_won");
    expect(commands.updateOpportunity).not.toHaveBeenCalled();
    const form = screen.getByRole("form", { name: "Close Initech Premium" });
    await user.type(within(form).getByLabelText("Why was it won?"), "Partner-led proof of value");
    await user.click(within(form).getByText("Close as won"));

    await waitFor(() => expect(commands.updateOpportunity).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateOpportunity).mock.calls[0][0]).toMatchObject({
      opportunity: "o1",
      stage: "closed_won",
      win_loss_reason: "Partner-led proof of value",
      amount: null,
    });
    await waitFor(() => expect(screen.queryByRole("form", { name: "Close Initech Premium" })).toBeNull());
  });

  it("cancelling the close leaves the deal at its stage and sends nothing", async () => {
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    const stage = (await screen.findByLabelText("Stage of Initech Premium")) as HTMLSelectElement;
    await user.selectOptions(stage, "closed_lost");
    expect(screen.getByLabelText("Why was it lost?")).toBeTruthy();
    await user.click(screen.getByText("Cancel"));
    expect(stage.value).toBe("proposal");
    expect(commands.updateOpportunity).not.toHaveBeenCalled();
  });

  it("edits every field of a deal and sends only what changed", async () => {
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("Edit Initech Premium"));
    const dialog = await screen.findByRole("form", { name: "Deal" });
    await waitFor(() => expect(within(dialog).getByText("Globex")).toBeTruthy());
    await user.selectOptions(within(dialog).getByLabelText("Segment"), "mid_market");
    await user.selectOptions(within(dialog).getByLabelText("Type"), "services_only");
    await user.selectOptions(within(dialog).getByLabelText("Registered by"), "p2");
    const amount = within(dialog).getByLabelText("Amount USD");
    await user.clear(amount);
    await user.type(amount, "14000");
    await user.type(within(dialog).getByLabelText("Deck link"), "https://decks.example.com/x");
    await user.click(within(dialog).getByLabelText("Learned via the partner"));
    await user.click(within(dialog).getByText("Save deal"));

    await waitFor(() => expect(commands.updateOpportunity).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateOpportunity).mock.calls[0][0]).toEqual(
      expect.objectContaining({
        opportunity: "o1",
        segment: "mid_market",
        opportunity_type: "services_only",
        registered_partner: "p2",
        amount: "14000",
        pitch_deck_url: "https://decks.example.com/x",
        understanding_via_partner: true,
        name: null,
        iacv: null,
        stage: null,
        win_loss_reason: null,
      }),
    );
  });

  it("shows a renewal's incumbent right, and the editor changes the incumbent", async () => {
    const renewal = dealLine({ opportunity_type: "renewal", incumbent_partner_id: "p1", registered_partner_id: "p2" });
    renewal.incumbent = {
      partner_id: "p1",
      partner_name: "Northwind Cloud",
      compliant: true,
      supporting_customer: true,
      declined_by_customer: false,
      first_right_of_refusal: true,
      passed_over: true,
    };
    vi.mocked(commands.listOpportunities).mockReturnValue(ok([renewal]));
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    expect((await screen.findByTestId("incumbent-frr")).textContent).toBe("Passed over: Northwind Cloud");
    await user.click(screen.getByLabelText("Edit Initech Premium"));
    const dialog = await screen.findByRole("form", { name: "Deal" });
    expect(within(dialog).getByTestId("incumbent-right").textContent).toContain("first right of refusal");
    await user.click(within(dialog).getByLabelText("The customer declined the incumbent"));
    await user.click(within(dialog).getByText("Save deal"));
    await waitFor(() => expect(commands.updateOpportunity).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateOpportunity).mock.calls[0][0]).toEqual(
      expect.objectContaining({ incumbent_declined_by_customer: true, incumbent_partner: null }),
    );
  });

  it("a closed stage in the editor needs the reason", async () => {
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("Edit Initech Premium"));
    const dialog = await screen.findByRole("form", { name: "Deal" });
    expect(within(dialog).queryByLabelText("Why was it lost?")).toBeNull();
    await user.selectOptions(within(dialog).getByLabelText("Stage"), "closed_lost");
    const reason = within(dialog).getByLabelText("Why was it lost?") as HTMLTextAreaElement;
    expect(reason.required).toBe(true);
  });

  it("shows each deal's amounts in its currency, and the editor changes the currency", async () => {
    vi.mocked(commands.listOpportunities).mockReturnValue(
      ok([dealLine({ currency: "EUR", amount: 1_400_000, iacv: 1_200_000, partner_discount: 100_000 })]),
    );
    render(OpportunitiesTable, { partner: "p1" });
    const user = userEvent.setup();
    expect(await screen.findByText("€14,000")).toBeTruthy();
    expect(screen.getByText("IACV €12,000")).toBeTruthy();

    await user.click(screen.getByLabelText("Edit Initech Premium"));
    const dialog = await screen.findByRole("form", { name: "Deal" });
    const currency = within(dialog).getByLabelText("Currency") as HTMLSelectElement;
    expect(currency.value).toBe("EUR");
    expect(within(dialog).getByLabelText("Amount EUR")).toBeTruthy();
    expect(within(dialog).getByLabelText("Partner discount EUR")).toBeTruthy();
    expect(within(dialog).queryByTestId("currency-changed")).toBeNull();
    await user.selectOptions(currency, "GBP");
    // Every amount of the deal is now typed in pounds; nothing converts them.
    expect((within(dialog).getByLabelText("Amount GBP") as HTMLInputElement).value).toBe("14000");
    expect(within(dialog).getByLabelText("IACV GBP")).toBeTruthy();
    expect(within(dialog).getByLabelText("Services attach GBP")).toBeTruthy();
    expect(within(dialog).getByTestId("currency-changed").textContent).toContain("does not convert them");
    await user.click(within(dialog).getByText("Save deal"));
    await waitFor(() => expect(commands.updateOpportunity).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.updateOpportunity).mock.calls[0][0]).toEqual(
      expect.objectContaining({ opportunity: "o1", currency: "GBP", amount: null, iacv: null }),
    );
  });

  it("creates a deal in the currency picked, or in its account's when none is", async () => {
    vi.mocked(commands.listAccounts).mockReturnValue(
      ok([
        {
          id: "a1",
          name: "Initech GmbH",
          tier: "tier1",
          tier_notes: "",
          partner_id: "p1",
          owner: "ae@vendor.example",
          carr: 0,
          currency: "EUR",
          created_at: "2026-11-23T10:00:00.000Z",
          updated_at: "2026-11-23T10:00:00.000Z",
        },
      ]),
    );
    vi.mocked(commands.createOpportunity).mockImplementation(() => ok(dealLine().opportunity));
    render(OpportunitiesTable, { partner: "p1", partnerCurrency: "EUR" });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "New opportunity" });
    const currency = within(form).getByLabelText("Currency") as HTMLSelectElement;
    expect(currency.options[0].text).toBe("The account's");
    await waitFor(() => expect(within(form).getByRole("option", { name: "Initech GmbH" })).toBeTruthy());
    await user.selectOptions(within(form).getByLabelText("On account"), "a1");
    expect(currency.options[0].text).toBe("The account's (EUR)");
    expect(within(form).getByLabelText("Amount EUR")).toBeTruthy();

    await user.selectOptions(currency, "GBP");
    await user.type(within(form).getByLabelText("Opportunity"), "Initech UK");
    await user.type(within(form).getByLabelText("Amount GBP"), "14000");
    await user.type(within(form).getByLabelText("Close date"), "2027-01-15");
    await user.click(within(form).getByRole("button", { name: "Add opportunity" }));
    await waitFor(() => expect(commands.createOpportunity).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.createOpportunity).mock.calls[0][0]).toEqual(
      expect.objectContaining({ account: "a1", name: "Initech UK", amount: "14000", currency: "GBP", registered_partner: "p1" }),
    );

    // The form starts again in the account's currency, which a deal left so is created in.
    await waitFor(() => expect(currency.value).toBe(""));
    await user.type(within(form).getByLabelText("Opportunity"), "Initech DE");
    await user.type(within(form).getByLabelText("Amount EUR"), "9000");
    await user.type(within(form).getByLabelText("Close date"), "2027-01-20");
    await user.click(within(form).getByRole("button", { name: "Add opportunity" }));
    await waitFor(() => expect(commands.createOpportunity).toHaveBeenCalledTimes(2));
    expect(vi.mocked(commands.createOpportunity).mock.calls[1][0]).toEqual(
      expect.objectContaining({ name: "Initech DE", amount: "9000", currency: null }),
    );
  });

  it("creates an account in the currency picked, or the partner's", async () => {
    vi.mocked(commands.createAccount).mockImplementation((input) =>
      ok({
        id: "a9",
        name: input.name ?? "",
        tier: "untiered",
        tier_notes: "",
        partner_id: "p1",
        owner: "cam@vendor.example",
        carr: 0,
        currency: input.currency ?? "EUR",
        created_at: "2026-11-23T10:00:00.000Z",
        updated_at: "2026-11-23T10:00:00.000Z",
      }),
    );
    render(OpportunitiesTable, { partner: "p1", partnerCurrency: "EUR" });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "New account" });
    const currency = within(form).getByLabelText("Currency") as HTMLSelectElement;
    expect(currency.options[0].text).toBe("The partner's (EUR)");
    await user.type(within(form).getByLabelText("Account"), "Contoso Ltd");
    await user.selectOptions(currency, "GBP");
    await user.click(within(form).getByRole("button", { name: "Add account" }));
    await waitFor(() => expect(commands.createAccount).toHaveBeenCalledTimes(1));
    expect(vi.mocked(commands.createAccount).mock.calls[0][0]).toEqual(
      expect.objectContaining({ name: "Contoso Ltd", partner: "p1", currency: "GBP" }),
    );
  });
});
