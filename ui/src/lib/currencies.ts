// How the UI offers and explains currencies: the pickers' order, and the core's conversion
// sentences. Which currencies exist, their rates and every sum are the core's.
import type { Choice } from "./bindings";

/** The currencies partners sell in most, first in every picker. */
export const COMMON_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "AUD", "CAD", "CHF", "INR", "SGD", "SEK"];

export type CurrencyGroups = { common: Choice[]; others: Choice[] };

/**
 * The vocabulary's currencies for a picker: the common ones in `COMMON_CURRENCIES` order, then
 * every other by code. `keep` (a record's current code) is offered even when the vocabulary
 * lacks it, so a picker never shows a blank; `except` leaves codes out (those already chosen).
 */
export function currencyGroups(
  all: Choice[] | undefined,
  keep: string | null = null,
  except: string[] = [],
): CurrencyGroups {
  const choices = [...(all ?? [])];
  if (keep && !choices.some((c) => c.code === keep)) choices.push({ code: keep, label: keep });
  const wanted = choices.filter((c) => !except.includes(c.code));
  const common = COMMON_CURRENCIES.flatMap((code) => wanted.filter((c) => c.code === code));
  const others = wanted
    .filter((c) => !COMMON_CURRENCIES.includes(c.code))
    .sort((a, b) => a.code.localeCompare(b.code));
  return { common, others };
}

/**
 * Whether a sentence of the core's `Converted.lines` is the one naming currencies without an
 * exchange rate (their amounts are left out of the sums): shown as a warning.
 */
export function isMissingRate(line: string): boolean {
  return line.startsWith("No exchange rate");
}
