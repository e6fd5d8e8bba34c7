// How the Accounts screen orders its lines. Presentation only: the figures are the core's.
import type { AccountLine } from "../../lib/bindings";

export type SortKey = "name" | "partner" | "tier" | "carr" | "pipeline" | "last_note" | "next_step";

const text = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base" });

/** Missing values (no partner, no call, no step) sort last whichever way the column goes. */
function compare(a: AccountLine, b: AccountLine, key: SortKey): number | null {
  switch (key) {
    case "name":
      return text(a.account.name, b.account.name);
    case "partner":
      return a.partner_name && b.partner_name ? text(a.partner_name, b.partner_name) : null;
    case "tier":
      // Tier 1 first; "needs a tier" ahead of a plain untiered account.
      return text(a.account.tier, b.account.tier) || Number(b.needs_tier) - Number(a.needs_tier);
    case "carr":
      return (a.account.carr ?? 0) - (b.account.carr ?? 0);
    case "pipeline":
      return a.open_pipeline - b.open_pipeline;
    case "last_note":
      return a.last_note && b.last_note ? text(a.last_note.occurred_at, b.last_note.occurred_at) : null;
    case "next_step":
      return a.next_step && b.next_step ? text(a.next_step.due_on, b.next_step.due_on) : null;
  }
}

function missing(l: AccountLine, key: SortKey): boolean {
  return (
    (key === "partner" && !l.partner_name) ||
    (key === "last_note" && !l.last_note) ||
    (key === "next_step" && !l.next_step)
  );
}

/** `lines` ordered by `key`, ascending when `up`; ties by name. */
export function sortLines(lines: AccountLine[], key: SortKey, up: boolean): AccountLine[] {
  return [...lines].sort((a, b) => {
    const [ma, mb] = [missing(a, key), missing(b, key)];
    if (ma !== mb) return ma ? 1 : -1;
    const c = ma ? 0 : (compare(a, b, key) ?? 0);
    return (up ? c : -c) || text(a.account.name, b.account.name);
  });
}
