import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  commands,
  type NfrCheck,
  type NfrEligibility,
  type NfrLine,
  type NfrRequest,
  type PartnerDetail,
  type Person,
} from "../../lib/bindings";
import { app } from "../../lib/stores/app.svelte";
import { toasts } from "../../lib/stores/toasts.svelte";
import { fail, ok } from "../../test/bindings";
import { appInfo, partner, vocabulary } from "../../test/fixtures";
import NfrPanel from "./NfrPanel.svelte";
import Overview from "./Overview.svelte";

vi.mock("../../lib/bindings", async () => {
  const m = await import("../../test/bindings");
  return { commands: m.mockCommands(), events: m.mockEvents() };
});

const at = "2026-11-23T10:00:00.000Z";

function person(over: Partial<Person>): Person {
  return { id: "pe1", partner_id: "p1", name: "Ann Lee", email: "ann@northwind.example", role: "SA", created_at: at, updated_at: at, ...over };
}

const people = [
  person({}),
  person({ id: "pe2", name: "Bo Chen", email: "" }),
  person({ id: "pe3", name: "Cy Diaz", email: "cy@northwind.example" }),
];

function detail(): PartnerDetail {
  return {
    partner: partner(),
    solution_provider: false,
    checklist: [],
    people,
    enablement: [],
    plans: [],
    compliance: {
      partner_id: "p1",
      partner_name: "Northwind Cloud",
      track: { track: "open", compliant: true, requirements: [], closure: { state: "met" } },
      badges: [],
    },
  };
}

const check = (over: Partial<NfrCheck> & Pick<NfrCheck, "check">): NfrCheck => ({
  met: true,
  required: true,
  detail: "",
  ...over,
});

const ENCOURAGEMENT = "Hello Ann,\n\nYour NFR licence is on its way. We encourage Northwind Cloud to complete SA Core.";

function eligibility(over: Partial<NfrEligibility> = {}): NfrEligibility {
  return {
    checks: [
      check({ check: "contact_at_partner", detail: "Ann Lee is one of Northwind Cloud's people" }),
      check({ check: "no_other_licence", detail: "Northwind Cloud has no other licence under way" }),
      check({ check: "certified", detail: "2 people hold a current certification", required: false }),
    ],
    eligible: true,
    encouragement: null,
    ...over,
  };
}

function request(over: Partial<NfrRequest>): NfrRequest {
  return {
    id: "r1",
    partner_id: "p1",
    requested_by: "cam@vendor.example",
    requested_on: "2026-11-20",
    contact_name: "Ann Lee",
    contact_email: "ann@northwind.example",
    purpose: "Demo lab for the migration practice",
    seats: 5,
    status: "requested",
    status_on: null,
    refusal_reason: null,
    created_at: at,
    updated_at: at,
    ...over,
  };
}

const line = (r: Partial<NfrRequest>, e: Partial<NfrEligibility> = {}): NfrLine => ({
  request: request(r),
  eligibility: eligibility(e),
});

/** A request its contact check fails, from a partner without a certification. */
const blocked = line(
  { id: "r2", contact_name: "Zed Roe", contact_email: "zed@elsewhere.example", requested_on: "2026-11-22" },
  {
    checks: [
      check({
        check: "contact_at_partner",
        met: false,
        detail: "Zed Roe (zed@elsewhere.example) is not one of Northwind Cloud's people: add them to the partner's people first",
      }),
      check({ check: "no_other_licence", detail: "Northwind Cloud has no other licence under way" }),
      check({
        check: "certified",
        met: false,
        required: false,
        detail: "no certification yet: the licence can still be sent; encourage Northwind Cloud to complete SA Core",
      }),
    ],
    eligible: false,
    encouragement: ENCOURAGEMENT,
  },
);

const rowOf = (status: string) => screen.getAllByTestId("nfr-row").find((r) => r.dataset.status === status) as HTMLElement;
const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

beforeEach(() => {
  vi.clearAllMocks();
  app.info = appInfo();
  app.vocabulary = vocabulary();
  toasts.items = [];
  vi.mocked(commands.nfrRequests).mockReturnValue(ok([]));
  vi.mocked(commands.setNfrStatus).mockImplementation((c) => ok(line({ id: c.request, status: "verified" })));
});

describe("a partner's NFR licences", () => {
  it("are on the partner's overview, beside the badges", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(ok([line({ id: "r1" })]));
    render(Overview, { detail: detail() });
    const panel = screen.getByTestId("nfr-panel");
    expect(panel.previousElementSibling?.getAttribute("aria-labelledby")).toBe("h-badges");
    await waitFor(() => expect(within(panel).getAllByTestId("nfr-row")).toHaveLength(1));
  });

  it("lists the requests as the core sends them, each with its status, date and checks", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(
      ok([
        blocked,
        line({ id: "r3", status: "sent", status_on: "2026-10-02", seats: 1, contact_name: "Cy Diaz" }),
        line({ id: "r4", status: "refused", status_on: "2026-09-15", refusal_reason: "A licence was sent in March" }),
      ]),
    );
    render(NfrPanel, { detail: detail() });
    await waitFor(() => expect(screen.getAllByTestId("nfr-row")).toHaveLength(3));
    expect(commands.nfrRequests).toHaveBeenCalledWith("p1");
    const rows = screen.getAllByTestId("nfr-row");
    expect(rows.map((r) => r.dataset.status)).toEqual(["requested", "sent", "refused"]);

    const first = rows[0];
    expect(text(first)).toContain("Zed Roe");
    expect(text(first)).toContain("zed@elsewhere.example");
    expect(text(first)).toContain("5 seats");
    expect(text(first)).toContain("Demo lab for the migration practice");
    expect(text(first)).toMatch(/requested Nov 22, 2026 by cam@vendor\.example/);
    expect(text(within(first).getByTestId("nfr-status"))).toBe("Requested");
    // Unmet and required: an error; unmet but not required: a warning; met: a tick.
    const states = [...first.querySelectorAll("[data-check]")].map((c) => [
      (c as HTMLElement).dataset.check,
      (c as HTMLElement).dataset.state,
      c.querySelector(".mark")?.textContent,
    ]);
    expect(states).toEqual([
      ["contact_at_partner", "unmet", "✗"],
      ["no_other_licence", "met", "✓"],
      ["certified", "warning", "⚠"],
    ]);
    expect(text(first.querySelector('[data-check="contact_at_partner"]'))).toContain("is not one of Northwind Cloud's people");

    expect(text(within(rows[1]).getByTestId("nfr-status"))).toBe("Sent Oct 2, 2026");
    expect(text(rows[1])).toContain("1 seat ");
    expect(text(within(rows[2]).getByTestId("nfr-refusal"))).toBe("Refused: A licence was sent in March");
    // A sent or refused request is final: nothing to do with it.
    for (const r of [rows[1], rows[2]]) expect(within(r).queryAllByRole("button")).toHaveLength(0);
  });

  it("verifies a request only when every required check is met, and says why not", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(ok([blocked, line({ id: "r1", requested_on: "2026-11-01" })]));
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId("nfr-row")).toHaveLength(2));
    const [no, yes] = screen.getAllByTestId("nfr-row");

    const blockedVerify = within(no).getByTestId("nfr-verify") as HTMLButtonElement;
    expect(blockedVerify.disabled).toBe(true);
    expect(text(within(no).getByTestId("nfr-unmet"))).toContain("Zed Roe (zed@elsewhere.example) is not one of");
    // The warning does not block: it is not among the reasons.
    expect(text(within(no).getByTestId("nfr-unmet"))).not.toContain("no certification yet");
    await user.click(blockedVerify);
    expect(commands.setNfrStatus).not.toHaveBeenCalled();

    const verify = within(yes).getByTestId("nfr-verify") as HTMLButtonElement;
    expect(verify.disabled).toBe(false);
    expect(within(yes).queryByTestId("nfr-unmet")).toBeNull();
    await user.click(verify);
    await waitFor(() =>
      expect(commands.setNfrStatus).toHaveBeenCalledWith({ request: "r1", status: "verified", reason: null, on: null }),
    );
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "Licence request for Ann Lee verified" })]),
    );
    // The list is read again.
    await waitFor(() => expect(commands.nfrRequests).toHaveBeenCalledTimes(2));
  });

  it("marks a verified request sent", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(ok([line({ status: "verified", status_on: "2026-11-21" })]));
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await waitFor(() => expect(rowOf("verified")).toBeTruthy());
    const row = rowOf("verified");
    expect(text(within(row).getByTestId("nfr-status"))).toBe("Verified Nov 21, 2026");
    expect(within(row).queryByTestId("nfr-verify")).toBeNull();
    await user.click(within(row).getByTestId("nfr-sent"));
    await waitFor(() =>
      expect(commands.setNfrStatus).toHaveBeenCalledWith({ request: "r1", status: "sent", reason: null, on: null }),
    );
  });

  it("refuses a request only with a reason, and shows the core's refusal by the request", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(ok([line({ status: "verified", status_on: "2026-11-21" })]));
    vi.mocked(commands.setNfrStatus).mockReturnValue(
      fail({ code: "invalid", message: "status: a request that is sent cannot be marked refused: it is final; make a new request" }),
    );
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await waitFor(() => expect(rowOf("verified")).toBeTruthy());
    const row = rowOf("verified");
    await user.click(within(row).getByTestId("nfr-refuse"));
    const confirm = within(row).getByTestId("nfr-refuse-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(row).getByTestId("nfr-refuse-reason"), "   ");
    expect(confirm.disabled).toBe(true);
    // Even sent without one, no reason is no refusal.
    await fireEvent.submit(confirm.form as HTMLFormElement);
    expect(commands.setNfrStatus).not.toHaveBeenCalled();
    expect(text(within(row).getByRole("alert"))).toContain("refusal_reason: say why");

    await user.clear(within(row).getByTestId("nfr-refuse-reason"));
    await user.type(within(row).getByTestId("nfr-refuse-reason"), "The partner left the program");
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() =>
      expect(commands.setNfrStatus).toHaveBeenCalledWith({
        request: "r1",
        status: "refused",
        reason: "The partner left the program",
        on: null,
      }),
    );
    await waitFor(() => expect(text(within(row).getByRole("alert"))).toContain("it is final; make a new request"));
  });

  it("shows the SA Core encouragement email and copies it", async () => {
    vi.mocked(commands.nfrRequests).mockReturnValue(ok([blocked, line({ id: "r1" })]));
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId("nfr-row")).toHaveLength(2));
    const [withEmail, without] = screen.getAllByTestId("nfr-row");
    expect(within(without).queryByTestId("nfr-encouragement")).toBeNull();
    const email = within(withEmail).getByTestId("nfr-encouragement");
    expect(email.querySelector("pre")?.textContent).toBe(ENCOURAGEMENT);
    await user.click(within(email).getByTestId("nfr-copy-email"));
    await waitFor(() => expect(toasts.items).toEqual([expect.objectContaining({ text: expect.stringContaining("Email copied") })]));
    expect(await navigator.clipboard.readText()).toBe(ENCOURAGEMENT);
  });
});

describe("requesting an NFR licence", () => {
  beforeEach(() => {
    vi.mocked(commands.nfrPrecheck).mockImplementation((_partner, name) =>
      ok(
        eligibility({
          checks: [
            check({ check: "contact_at_partner", detail: `${name} is one of Northwind Cloud's people` }),
            check({ check: "no_other_licence", detail: "Northwind Cloud has no other licence under way" }),
            check({ check: "certified", met: false, required: false, detail: "no certification yet" }),
          ],
          encouragement: "Hello",
        }),
      ),
    );
    vi.mocked(commands.requestNfr).mockImplementation((r) =>
      ok(line({ id: "new", contact_name: r.contact_name ?? "", contact_email: r.contact_email ?? "" })),
    );
  });

  it("fills the contact from the partner's people, shows the live checks and sends what was typed", async () => {
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("nfr-request-open"));
    const select = screen.getByTestId("nfr-contact-select") as HTMLSelectElement;
    // Only people with an email can receive a licence.
    expect([...select.options].map((o) => o.value)).toEqual(["", "pe1", "pe3"]);
    expect((screen.getByTestId("nfr-seats") as HTMLInputElement).value).toBe("5");
    expect(text(screen.getByTestId("nfr-precheck"))).toContain("Choose or type the licence contact");

    await user.selectOptions(select, "pe3");
    expect((screen.getByTestId("nfr-contact-name") as HTMLInputElement).value).toBe("Cy Diaz");
    expect((screen.getByTestId("nfr-contact-email") as HTMLInputElement).value).toBe("cy@northwind.example");
    await waitFor(() => expect(commands.nfrPrecheck).toHaveBeenCalledWith("p1", "Cy Diaz", "cy@northwind.example"));
    const precheck = screen.getByTestId("nfr-precheck");
    await waitFor(() => expect(text(precheck)).toContain("Cy Diaz is one of Northwind Cloud's people"));
    expect(text(precheck)).toContain("The help desk can verify this request.");
    expect(precheck.querySelector('[data-check="certified"]')?.getAttribute("data-state")).toBe("warning");

    await user.clear(screen.getByTestId("nfr-seats"));
    await user.type(screen.getByTestId("nfr-seats"), "3");
    await user.type(screen.getByTestId("nfr-purpose"), "Demo lab");
    await user.click(screen.getByTestId("nfr-request-submit"));
    await waitFor(() => expect(commands.requestNfr).toHaveBeenCalledTimes(1));
    expect(commands.requestNfr).toHaveBeenCalledWith({
      partner: "p1",
      requested_by: "cam@vendor.example",
      contact_name: "Cy Diaz",
      contact_email: "cy@northwind.example",
      purpose: "Demo lab",
      seats: 3,
      requested_on: null,
    });
    await waitFor(() =>
      expect(toasts.items).toEqual([expect.objectContaining({ text: "NFR licence requested for Cy Diaz" })]),
    );
    // Requested, the form closes and the list is read again.
    expect(screen.queryByTestId("nfr-contact-name")).toBeNull();
    await waitFor(() => expect(commands.nfrRequests).toHaveBeenCalledTimes(2));
  });

  it("checks a typed contact once the typing pauses, and shows the core's refusal by the form", async () => {
    vi.mocked(commands.nfrPrecheck).mockReturnValue(
      ok(
        eligibility({
          checks: [check({ check: "contact_at_partner", met: false, detail: "Dee (dee@other.example) is not one of Northwind Cloud's people" })],
          eligible: false,
        }),
      ),
    );
    vi.mocked(commands.requestNfr).mockReturnValue(
      fail({ code: "invalid", message: "purpose: must be at most 200 characters" }),
    );
    render(NfrPanel, { detail: detail() });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("nfr-request-open"));
    await user.selectOptions(screen.getByTestId("nfr-contact-select"), "pe1");
    // Typed over, the contact is someone else.
    await user.clear(screen.getByTestId("nfr-contact-name"));
    await user.type(screen.getByTestId("nfr-contact-name"), "Dee");
    await user.clear(screen.getByTestId("nfr-contact-email"));
    await user.type(screen.getByTestId("nfr-contact-email"), "dee@other.example");
    expect((screen.getByTestId("nfr-contact-select") as HTMLSelectElement).value).toBe("");
    await waitFor(() => expect(commands.nfrPrecheck).toHaveBeenCalledWith("p1", "Dee", "dee@other.example"));
    // Not once a keystroke: once the typing paused (and once for the person picked, had it
    // paused then).
    expect(vi.mocked(commands.nfrPrecheck).mock.calls.length).toBeLessThanOrEqual(2);
    const precheck = screen.getByTestId("nfr-precheck");
    await waitFor(() => expect(text(precheck)).toContain("cannot verify this request"));
    expect(precheck.querySelector('[data-check="contact_at_partner"]')?.getAttribute("data-state")).toBe("unmet");

    await user.click(screen.getByTestId("nfr-request-submit"));
    await waitFor(() =>
      expect(commands.requestNfr).toHaveBeenCalledWith(
        expect.objectContaining({ contact_name: "Dee", contact_email: "dee@other.example", seats: 5, purpose: "" }),
      ),
    );
    expect(text(await screen.findByTestId("nfr-error"))).toBe("purpose: must be at most 200 characters");
    // Refused, the form stays as typed.
    expect((screen.getByTestId("nfr-contact-name") as HTMLInputElement).value).toBe("Dee");
    expect(toasts.items).toEqual([]);
  });
});
