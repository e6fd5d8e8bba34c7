// How the partners list orders its lines (see lib/sort.ts). Choices (track, region, stage,
// plan status) sort in the vocabulary's order, so stages go 01 to 04; compliance from compliant
// to the gap the plan does not close.
import type { ComplianceStatus, PartnerLine, Vocabulary } from "../../lib/bindings";
import { label } from "../../lib/format";
import { byText, sortLines, type Column } from "../../lib/sort";

export type SortKey =
  | "name"
  | "type"
  | "track"
  | "region"
  | "stage"
  | "owner"
  | "compliance"
  | "plan"
  | "won"
  | "next_review"
  | "last_note";

/** Compliant, then gaps the plan closes on time, closes late, and does not close. */
function severity(c: ComplianceStatus): number {
  if (c.state === "compliant") return 0;
  if (c.closure.state === "planned") return c.closure.overdue ? 2 : 1;
  return c.closure.state === "not_closed" ? 3 : 1;
}

const missingCount = (c: ComplianceStatus) => (c.state === "gap" ? c.missing : 0);

/** Closed won as a share of the target; lines without a target have none. */
export function attainment(l: PartnerLine): number | null {
  return l.arr_target ? l.arr_won / l.arr_target : null;
}

function columns(v: Vocabulary | null): Record<SortKey, Column<PartnerLine>> {
  const rank = (choices: Vocabulary["tracks"] | undefined, code: string) => {
    const i = choices?.findIndex((c) => c.code === code) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const types = (l: PartnerLine) => l.partner_types.map((t) => label(v?.partner_types, t)).join(", ");
  return {
    name: { compare: (a, b) => byText(a.name, b.name) },
    type: { compare: (a, b) => byText(types(a), types(b)) },
    track: { compare: (a, b) => rank(v?.tracks, a.track) - rank(v?.tracks, b.track) },
    region: { compare: (a, b) => rank(v?.regions, a.region) - rank(v?.regions, b.region) },
    stage: { compare: (a, b) => rank(v?.stages, a.journey_stage) - rank(v?.stages, b.journey_stage) },
    owner: { compare: (a, b) => byText(a.owner, b.owner) },
    compliance: {
      compare: (a, b) =>
        severity(a.compliance) - severity(b.compliance) || missingCount(a.compliance) - missingCount(b.compliance),
    },
    plan: {
      compare: (a, b) => rank(v?.plan_statuses, a.plan_status ?? "") - rank(v?.plan_statuses, b.plan_status ?? ""),
      missing: (l) => l.plan_status === null,
    },
    won: {
      compare: (a, b) => (attainment(a) ?? 0) - (attainment(b) ?? 0) || a.arr_won - b.arr_won,
      missing: (l) => attainment(l) === null,
    },
    next_review: {
      compare: (a, b) => byText(a.next_review?.on ?? "", b.next_review?.on ?? ""),
      missing: (l) => !l.next_review,
    },
    last_note: {
      compare: (a, b) => byText(a.last_note?.occurred_at ?? "", b.last_note?.occurred_at ?? ""),
      missing: (l) => !l.last_note,
    },
  };
}

/** `lines` ordered by `key`, ascending when `up`; missing values last, ties by name. */
export function sortPartnerLines(
  lines: PartnerLine[],
  key: SortKey,
  up: boolean,
  vocabulary: Vocabulary | null,
): PartnerLine[] {
  return sortLines(lines, columns(vocabulary)[key], up, (a, b) => byText(a.name, b.name));
}
