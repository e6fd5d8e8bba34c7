// The palette's places and actions, and where a search hit leads.
import type { HitKind, SearchHit } from "../../lib/bindings";
import type { Route } from "../../lib/stores/router.svelte";

export type PaletteAction = { label: string; route: Route | null };

export const ACTIONS: PaletteAction[] = [
  { label: "Log a call note", route: null },
  { label: "Today", route: { name: "today" } },
  { label: "Partners", route: { name: "partners" } },
  { label: "Import CSV", route: { name: "import" } },
  { label: "Settings", route: { name: "settings" } },
];

export const KIND_LABEL: Record<HitKind, string> = {
  partner: "Partner",
  note: "Note",
  plan: "Plan",
  next_step: "Next step",
};

/** The actions whose label contains every typed word (all of them when nothing is typed). */
export function actionsMatching(text: string): PaletteAction[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return ACTIONS.filter((a) => words.every((w) => a.label.toLowerCase().includes(w)));
}

/** The screen a hit opens. */
export function hitRoute(hit: SearchHit): Route {
  const partner = hit.kind === "partner" ? hit.id : hit.partner_id;
  if (!partner) return { name: "today" };
  switch (hit.kind) {
    case "partner":
      return { name: "partner", id: partner, tab: "overview" };
    case "plan":
      return { name: "partner", id: partner, tab: "plan" };
    default:
      return { name: "partner", id: partner, tab: "coselling" };
  }
}
