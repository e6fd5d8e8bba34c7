import type { PartnerQuery } from "../../lib/bindings";

/** No filter: every partner. */
export function emptyQuery(): PartnerQuery {
  return { track: null, region: null, stage: null, partner_type: null, owner: null, name: null };
}
