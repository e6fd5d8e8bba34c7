// What owns a requirement, "N people certified in a certification": a track, from the tracks
// vocabulary, or a badge, from the rule book. RequirementsTable draws either table; what differs
// between them is said here.
import type {
  BadgeRequirement,
  Choice,
  RuleBook,
  RuleRow,
  RuleTable,
  Track,
  TrackRequirement,
  Vocabulary,
} from "../../../lib/bindings";

/** A requirement row, whatever owns it. */
export type Requirement = { id: string; certification_id: string; count: number };

export type RequirementOwner<R extends Requirement> = {
  table: RuleTable;
  /** "track": the table's texts ("Track requirements", "the Select track's PSE requirement"). */
  noun: "track" | "badge";
  /** The row's field naming its owner, and the add form's field's name. */
  field: string;
  /** The rule book's rows. */
  rows: (book: RuleBook) => R[];
  /** The owners to choose from, in the order the rows follow: code and name. */
  owners: (book: RuleBook, vocabulary: Vocabulary | null) => Choice[];
  ownerOf: (row: R) => string;
  /** An owner's name as a row's fields are labelled: "Select track", "Security". */
  inLabels: (name: string) => string;
  /** The row, whole, as it is put. */
  put: (row: R) => RuleRow;
  /** A new row (a blank id adds it). */
  blank: (owner: string, certificationId: string, count: number) => R;
};

export const trackOwner: RequirementOwner<TrackRequirement> = {
  table: "track_requirement",
  noun: "track",
  field: "track",
  rows: (book) => book.track_requirements,
  owners: (_book, vocabulary) => vocabulary?.tracks ?? [],
  ownerOf: (r) => r.track,
  inLabels: (name) => `${name} track`,
  put: (row) => ({ table: "track_requirement", row }),
  blank: (owner, certificationId, count) => ({
    id: "",
    track: owner as Track,
    certification_id: certificationId,
    count,
  }),
};

export const badgeOwner: RequirementOwner<BadgeRequirement> = {
  table: "badge_requirement",
  noun: "badge",
  field: "badge_id",
  rows: (book) => book.badge_requirements,
  owners: (book) => book.badges.map((b) => ({ code: b.id, label: b.name })),
  ownerOf: (r) => r.badge_id,
  inLabels: (name) => name,
  put: (row) => ({ table: "badge_requirement", row }),
  blank: (owner, certificationId, count) => ({ id: "", badge_id: owner, certification_id: certificationId, count }),
};
