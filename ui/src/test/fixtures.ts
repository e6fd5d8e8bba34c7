// Records as the Rust side sends them, typed by the generated bindings.
import type {
  AppInfo,
  CallNote,
  Converted,
  NextStepLine,
  OpportunityLine,
  Partner,
  TodayDigest,
  TodaySummary,
  Vocabulary,
} from "../lib/bindings";

const at = "2026-11-23T10:00:00.000Z";

export function appInfo(over: Partial<AppInfo> = {}): AppInfo {
  return {
    version: "0.1.0",
    data_dir: "/tmp/desk",
    database: "/tmp/desk/channel-desk.db",
    today: "2026-11-23",
    fiscal_year: 2027,
    user: "cam@vendor.example",
    partner_count: 1,
    may_edit_rules: true,
    ...over,
  };
}

/** How sums were converted: nothing, unless told. */
export function converted(over: Partial<Converted> = {}): Converted {
  return { currency: "USD", rates: [], missing: [], lines: [], ...over };
}

const choice = (code: string, label: string) => ({ code, label });

export function vocabulary(): Vocabulary {
  return {
    partner_types: [choice("var_vad", "VAR/VAD"), choice("boutique_si", "Boutique SI")],
    tracks: [choice("open", "Open"), choice("select", "Select"), choice("distribution", "Distribution")],
    regions: [choice("americas", "Americas"), choice("emea", "EMEA")],
    stages: [choice("onboarding", "01 Onboarding"), choice("established", "02 Established")],
    enablement_statuses: [
      choice("planned", "Planned"),
      choice("in_progress", "In progress"),
      choice("certified", "Certified"),
      choice("lapsed", "Lapsed"),
    ],
    plan_statuses: [choice("draft", "Draft"), choice("agreed", "Agreed with partner")],
    mdf_statuses: [
      choice("drafted", "Drafted"),
      choice("reviewed_with_cam", "Reviewed with the CAM"),
      choice("submitted", "Submitted"),
      choice("approved", "Approved"),
      choice("claimed", "Claimed"),
    ],
    service_offerings: [choice("assessment", "Assessment")],
    segments: [choice("smb", "SMB"), choice("mid_market", "Mid-Market")],
    tiers: [choice("tier1", "Tier 1"), choice("untiered", "Untiered")],
    opportunity_types: [choice("new_business", "New Business"), choice("services_only", "Services Only")],
    opportunity_stages: [
      choice("discovery", "Discovery"),
      choice("proposal", "Proposal"),
      choice("closed_won", "Closed Won"),
      choice("closed_lost", "Closed Lost"),
    ],
    command_plan_levels: [choice("none", "None"), choice("overview", "Overview"), choice("full", "Full")],
    next_step_statuses: [choice("open", "Open"), choice("done", "Done")],
    r7_requirements: [
      choice("command_plan_overview", "Command plan (overview)"),
      choice("command_plan_full", "Command plan (full)"),
      choice("pitch_deck", "Custom pitch deck"),
    ],
    r7_metrics: [choice("amount", "Amount"), choice("iacv", "IACV")],
    nfr_statuses: [
      choice("requested", "Requested"),
      choice("verified", "Verified"),
      choice("sent", "Sent"),
      choice("refused", "Refused"),
    ],
    curriculum_levels: [choice("core", "Core"), choice("advanced", "Advanced")],
    currencies: [
      choice("AUD", "Australian dollar"),
      choice("BRL", "Brazilian real"),
      choice("EUR", "Euro"),
      choice("GBP", "Pound sterling"),
      choice("JPY", "Japanese yen"),
      choice("NOK", "Norwegian krone"),
      choice("USD", "United States dollar"),
    ],
  };
}

export function partner(over: Partial<Partner> = {}): Partner {
  return {
    id: "p1",
    name: "Northwind Cloud",
    partner_types: ["var_vad"],
    track: "open",
    region: "emea",
    owner: "cam@vendor.example",
    journey_stage: "onboarding",
    capabilities: [],
    badges: [],
    account_notes: "",
    last_phd_review: null,
    tsp_invited_on: null,
    currency: "USD",
    created_at: at,
    updated_at: at,
    ...over,
  };
}

export function dealLine(over: Partial<OpportunityLine["opportunity"]> = {}): OpportunityLine {
  return {
    opportunity: {
      id: "o1",
      account_id: "a1",
      name: "Initech Premium",
      opportunity_type: "new_business",
      stage: "proposal",
      amount: 1_200_000,
      iacv: 1_200_000,
      currency: "USD",
      segment: "smb",
      close_date: "2026-12-15",
      registered_partner_id: "p1",
      win_loss_reason: "",
      customer_understanding: "",
      command_plan: "none",
      has_pitch_deck: false,
      pitch_deck_url: "",
      understanding_via_partner: false,
      partner_discount: 0,
      services_attach: 0,
      incumbent_partner_id: null,
      incumbent_declined_by_customer: false,
      owner: "ae@vendor.example",
      created_at: at,
      updated_at: at,
      ...over,
    },
    account_name: "Initech",
    co_selling_partner_id: "p1",
    r7: {
      opportunity_id: "o1",
      command_plan_required: "full",
      pitch_deck_required: true,
      command_plan_missing: true,
      pitch_deck_missing: true,
    },
    attention: { past_close_date: false, no_next_step: true },
    channel_neutral_credit: 0,
    incumbent: null,
  };
}

export function note(over: Partial<CallNote> = {}): CallNote {
  return {
    id: "n1",
    title: "Kickoff (ii)",
    body: "We met.",
    via_partner: true,
    partner_id: "p1",
    account_id: null,
    opportunity_id: null,
    author: "cam@vendor.example",
    occurred_at: at,
    created_at: at,
    updated_at: at,
    ...over,
  };
}

export function stepLine(over: Partial<NextStepLine["step"]> = {}, daysOverdue = 0): NextStepLine {
  return {
    step: {
      id: "s1",
      description: "Send the SOW",
      owner: "partner",
      due_on: "2026-11-22",
      agreed_with_partner: true,
      status: "open",
      note_id: "n1",
      partner_id: "p1",
      opportunity_id: null,
      award_badge_id: null,
      done_at: null,
      created_at: at,
      updated_at: at,
      ...over,
    },
    partner_name: "Northwind Cloud",
    channel_manager: "cam@vendor.example",
    days_overdue: daysOverdue,
  };
}

export function today(over: Partial<TodaySummary> = {}): TodaySummary {
  return {
    today: "2026-11-23",
    scope: "everyone",
    overdue_next_steps: [],
    due_soon: [],
    compliance_gaps: [],
    badge_reviews: [],
    pipeline: [],
    pipeline_conversion: converted(),
    r7_gaps: [],
    notes_missing_mark: [],
    untiered_accounts: [],
    recent_notes: [],
    outbox_pending: 0,
    ...over,
  };
}

/** The Today digest of a summary, with totals as long as its lists unless given. */
export function digest(over: Partial<TodaySummary> = {}, totals: Partial<TodayDigest["totals"]> = {}): TodayDigest {
  const s = today(over);
  return {
    summary: s,
    totals: {
      overdue_next_steps: s.overdue_next_steps.length,
      due_soon: s.due_soon.length,
      compliance_gaps: s.compliance_gaps.length,
      badge_reviews: s.badge_reviews.length,
      r7_gaps: s.r7_gaps.length,
      notes_missing_mark: s.notes_missing_mark.length,
      untiered_accounts: s.untiered_accounts.length,
      ...totals,
    },
  };
}
