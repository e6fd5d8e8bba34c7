// The business plan form's state: what a person types, as the core's PlanChanges wants it
// (amounts and dates as text; the core parses and validates them).
import type {
  BusinessPlan,
  CommitmentInput,
  JourneyStage,
  MdfRequestInput,
  PlanChanges,
  PlanStatus,
  ServiceOffering,
} from "../../lib/bindings";
import { BASE_CURRENCY, moneyInput } from "../../lib/format";

export type PlanForm = {
  goals: string;
  growth_arr_target: string;
  new_customer_arr_target: string;
  /** The currency of the targets and the MDF amounts. */
  currency: string;
  services_practice: ServiceOffering[];
  target_stage: JourneyStage;
  marketing_plan: string;
  mdf_requests: MdfRequestInput[];
  joint_webinars: number;
  certification_plan: CommitmentInput[];
  infrastructure_ready_days: number | null;
  first_value_days: number | null;
  outcome_achieved_days: number | null;
  status: PlanStatus;
};

/**
 * The form of a plan as saved, or of a new one (`plan` null), whose amounts are in
 * `partnerCurrency` (the partner's) unless the person picks another.
 */
export function formOf(plan: BusinessPlan | null, partnerCurrency?: string | null): PlanForm {
  return {
    goals: plan?.goals ?? "",
    growth_arr_target: plan ? moneyInput(plan.growth_arr_target) : "",
    new_customer_arr_target: plan ? moneyInput(plan.new_customer_arr_target) : "",
    currency: (plan ? plan.currency : partnerCurrency) ?? BASE_CURRENCY,
    services_practice: plan ? [...plan.services_practice] : [],
    target_stage: plan?.target_stage ?? "established",
    marketing_plan: plan?.marketing_plan ?? "",
    mdf_requests:
      plan?.mdf_requests.map((m) => ({
        activity: m.activity,
        amount: moneyInput(m.amount),
        quarter: m.quarter,
        status: m.status ?? "drafted",
        reviewed_with_cam_on: m.reviewed_with_cam_on ?? null,
      })) ?? [],
    joint_webinars: plan?.joint_webinars ?? 0,
    certification_plan:
      plan?.certification_plan.map((c) => ({
        certification: c.certification_id,
        count: c.count,
        by: c.by,
      })) ?? [],
    infrastructure_ready_days: plan?.kpis.infrastructure_ready_days ?? null,
    first_value_days: plan?.kpis.first_value_days ?? null,
    outcome_achieved_days: plan?.kpis.outcome_achieved_days ?? null,
    status: plan?.status ?? "draft",
  };
}

export function changesOf(partner: string, fiscalYear: number, form: PlanForm): PlanChanges {
  return {
    partner,
    fiscal_year: fiscalYear,
    goals: form.goals,
    growth_arr_target: form.growth_arr_target,
    new_customer_arr_target: form.new_customer_arr_target,
    currency: form.currency || null,
    services_practice: form.services_practice,
    target_stage: form.target_stage,
    marketing_plan: form.marketing_plan,
    mdf_requests: form.mdf_requests,
    joint_webinars: form.joint_webinars,
    certification_plan: form.certification_plan,
    infrastructure_ready_days: form.infrastructure_ready_days,
    first_value_days: form.first_value_days,
    outcome_achieved_days: form.outcome_achieved_days,
    status: form.status,
  };
}
