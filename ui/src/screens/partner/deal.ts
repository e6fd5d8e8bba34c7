// A change to a deal that changes nothing yet: every field null ("leave as it is"). Callers set
// only what the person changed.
import type { OpportunityChanges } from "../../lib/bindings";

export function unchanged(opportunity: string): OpportunityChanges {
  return {
    opportunity,
    name: null,
    opportunity_type: null,
    segment: null,
    stage: null,
    amount: null,
    iacv: null,
    currency: null,
    close_date: null,
    registered_partner: null,
    command_plan: null,
    has_pitch_deck: null,
    pitch_deck_url: null,
    customer_understanding: null,
    understanding_via_partner: null,
    partner_discount: null,
    services_attach: null,
    incumbent_partner: null,
    incumbent_declined_by_customer: null,
    owner: null,
    win_loss_reason: null,
  };
}
