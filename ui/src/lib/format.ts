// Presentation only: how amounts and dates read. No rule of the domain lives here.
import type { Choice } from "./bindings";

const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});

/** Cents as `$12,500`. */
export function money(cents: number): string {
  return dollars.format(cents / 100);
}

/** Cents as a value a person can edit: `12500` or `12500.5`. */
export function moneyInput(cents: number): string {
  return (cents / 100).toString();
}

const day = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const dayTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * `2026-11-23` as a local, readable date (no time-zone shift: it is a calendar date); a UTC
 * timestamp (`2026-11-23T14:30:00Z`) as its local day.
 */
export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  if (iso.includes("T")) return day.format(new Date(iso));
  const [y, m, d] = iso.split("-").map(Number);
  return day.format(new Date(y, m - 1, d));
}

/** A UTC timestamp shown in local time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dayTime.format(new Date(iso));
}

/** The label of a code in a vocabulary, or the code itself when unknown. */
export function label(choices: Choice[] | undefined, code: string): string {
  return choices?.find((c) => c.code === code)?.label ?? code;
}

/** `YYYY-MM-DD` of a local date, `days` away from `from`. */
export function isoDay(from: Date, days = 0): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  const mm = String(d.getMonth() + 1).padStart(2, "0");
  const dd = String(d.getDate()).padStart(2, "0");
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** `1 next step`, `2 next steps`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
