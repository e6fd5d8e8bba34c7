// Fiscal quarters as the core names them ("Q3 FY27"): the quarter picker of the partner review.
import type { FiscalQuarter } from "../../lib/bindings";

type Quarter = Pick<FiscalQuarter, "fiscal_year" | "quarter">;

export function quarterLabel(q: Quarter): string {
  return `Q${q.quarter} FY${String(q.fiscal_year % 100).padStart(2, "0")}`;
}

/** `count` quarters, from `from` back in time. */
export function quartersBack(from: Quarter, count: number): string[] {
  const out: string[] = [];
  let { fiscal_year, quarter } = from;
  for (let i = 0; i < count; i++) {
    out.push(quarterLabel({ fiscal_year, quarter }));
    quarter -= 1;
    if (quarter === 0) {
      quarter = 4;
      fiscal_year -= 1;
    }
  }
  return out;
}
