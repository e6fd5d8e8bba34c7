// How the Accounts screen orders its lines (see lib/sort.ts).
import type { AccountLine } from "../../lib/bindings";
import { byText, sortLines as sortBy, type Column } from "../../lib/sort";

export type SortKey = "name" | "partner" | "tier" | "carr" | "pipeline" | "last_note" | "next_step";

const columns: Record<SortKey, Column<AccountLine>> = {
  name: { compare: (a, b) => byText(a.account.name, b.account.name) },
  partner: {
    compare: (a, b) => byText(a.partner_name ?? "", b.partner_name ?? ""),
    missing: (l) => !l.partner_name,
  },
  // Tier 1 first; "needs a tier" ahead of a plain untiered account.
  tier: {
    compare: (a, b) => byText(a.account.tier, b.account.tier) || Number(b.needs_tier) - Number(a.needs_tier),
  },
  carr: { compare: (a, b) => (a.account.carr ?? 0) - (b.account.carr ?? 0) },
  pipeline: { compare: (a, b) => a.open_pipeline - b.open_pipeline },
  last_note: {
    compare: (a, b) => byText(a.last_note?.occurred_at ?? "", b.last_note?.occurred_at ?? ""),
    missing: (l) => !l.last_note,
  },
  next_step: {
    compare: (a, b) => byText(a.next_step?.due_on ?? "", b.next_step?.due_on ?? ""),
    missing: (l) => !l.next_step,
  },
};

/** `lines` ordered by `key`, ascending when `up`; missing values last, ties by name. */
export function sortLines(lines: AccountLine[], key: SortKey, up: boolean): AccountLine[] {
  return sortBy(lines, columns[key], up, (a, b) => byText(a.account.name, b.account.name));
}
