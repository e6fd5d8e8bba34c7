// How a badge's review standing reads, and how loud it is. The standing itself is computed by
// the core (rules::review); this only words it.
import type { ReviewStatus } from "./bindings";
import { date } from "./format";

export type Tone = "ok" | "accent" | "warn" | "danger";

export function reviewStanding(status: ReviewStatus): { text: string; tone: Tone } {
  switch (status.state) {
    case "in_good_standing":
      return { text: "Good standing", tone: "ok" };
    case "evidence_due":
      return { text: "Evidence due", tone: "accent" };
    case "evidence_sent":
      return { text: `Evidence sent ${date(status.on)}: review to record`, tone: "accent" };
    case "review_overdue":
      return { text: `Review overdue since ${date(status.since)}`, tone: "danger" };
    case "in_grace":
      return {
        text: status.compliant_now
          ? `In grace until ${date(status.until)}: compliant again, record a review`
          : `In grace until ${date(status.until)}`,
        tone: "warn",
      };
    case "lapsed":
      return { text: `Lapsed ${date(status.since)}`, tone: "danger" };
  }
}
