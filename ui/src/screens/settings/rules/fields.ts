// What an admin types into a rules row, read into the row's values: whole numbers of people,
// months, minutes and points (amounts go to the core as typed). A value that does not read
// throws an Error naming the field, as the core's do.
import type { Choice } from "../../../lib/bindings";

/** What a field holds: a number input bound with `bind:value` holds a number (or nothing). */
export type Typed = string | number | null | undefined;

/** A whole number (`2`), or null when blank and `optional`. */
export function wholeNumber(field: string, text: Typed, optional: true): number | null;
export function wholeNumber(field: string, text: Typed, optional?: false): number;
export function wholeNumber(field: string, text: Typed, optional = false): number | null {
  const t = String(text ?? "").trim();
  if (t === "" && optional) return null;
  if (!/^-?\d+$/.test(t)) throw new Error(`${field}: ${JSON.stringify(t)} is not a whole number`);
  return Number(t);
}

/** The next sort order in a table: after every row it has. */
export function nextSortOrder(rows: { sort_order: number }[]): number {
  return rows.reduce((max, r) => Math.max(max, r.sort_order), 0) + 1;
}

/** Rows in the order of a vocabulary (`codeOf` the row's code), then by `then`. */
export function byVocabulary<T>(
  rows: T[],
  choices: Choice[] | undefined,
  codeOf: (row: T) => string,
  then: (a: T, b: T) => number,
): T[] {
  const rank = (code: string) => {
    const i = choices?.findIndex((c) => c.code === code) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...rows].sort((a, b) => rank(codeOf(a)) - rank(codeOf(b)) || then(a, b));
}
