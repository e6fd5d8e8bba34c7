// How a screen's table orders its lines by a column, either way. Presentation only: the
// figures are the core's.

/** Text order that ignores case and accents. */
export const byText = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base" });

/** One sortable column: how two lines that both have a value compare, and which have none. */
export type Column<T> = {
  compare: (a: T, b: T) => number;
  /** A line without a value (no partner, no call, no plan) sorts last whichever way. */
  missing?: (line: T) => boolean;
};

/** `lines` ordered by `column`, ascending when `up`; ties by `tie` (ascending). */
export function sortLines<T>(lines: T[], column: Column<T>, up: boolean, tie: (a: T, b: T) => number): T[] {
  const missing = column.missing ?? (() => false);
  return [...lines].sort((a, b) => {
    const [ma, mb] = [missing(a), missing(b)];
    if (ma !== mb) return ma ? 1 : -1;
    const c = ma ? 0 : column.compare(a, b);
    return (up ? c : -c) || tie(a, b);
  });
}

/** The `aria-sort` of a column header. */
export function ariaSort(sorted: boolean, up: boolean): "ascending" | "descending" | "none" {
  return sorted ? (up ? "ascending" : "descending") : "none";
}
