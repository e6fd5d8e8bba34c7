// Presentation only: how amounts and dates read. No rule of the domain lives here.
import type { Choice } from "./bindings";

/** The program's base currency: R7 thresholds are in it, and records written before amounts
 * had a currency are in it. */
export const BASE_CURRENCY = "USD";

/**
 * The person's locale: the first of the app's languages Intl knows. A desktop whose OS names
 * none (LANG unset: the "C" or POSIX locale) writes US English, not the POSIX variant of it,
 * which groups no digits (`€ 20000`).
 */
export function personLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
  const named = languages.filter((tag) => !/^(c|posix)([._@].*)?$/i.test(tag));
  try {
    return Intl.NumberFormat.supportedLocalesOf(named)[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

// The locale amounts are written in: the person's, unless `fixLocale` fixed one.
let locale: string = personLocale();
// One formatter per currency (null: the code is not one Intl knows how to write).
const moneyFormats = new Map<string, Intl.NumberFormat | null>();
const plainFormats = new Map<string, Intl.NumberFormat>();

/** Writes amounts in `tag` from now on (tests fix `en-US`); `undefined` is the person's locale. */
export function fixLocale(tag: string | undefined): void {
  locale = tag ?? personLocale();
  moneyFormats.clear();
  plainFormats.clear();
}

function moneyFormat(currency: string): Intl.NumberFormat | null {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        // Whole units; the minimum too, or older engines refuse a maximum below the currency's
        // two decimals.
        minimumFractionDigits: 0,
        maximumFractionDigits: 0,
      });
    } catch {
      format = null;
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

function plainNumber(value: number): string {
  const key = locale;
  let format = plainFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    plainFormats.set(key, format);
  }
  return format.format(value);
}

/**
 * Hundredths of `currency`'s unit as whole units in the person's locale: `$12,500`, `€12,500`,
 * `¥1,250,000` (`12.500 €` in German). A code Intl cannot write is shown after the number
 * (`12,500 XYZ1`), never thrown; no currency is the base currency.
 */
export function money(cents: number, currency: string | null = BASE_CURRENCY): string {
  const code = currency ?? BASE_CURRENCY;
  const format = moneyFormat(code);
  if (format) return format.format(cents / 100);
  return `${plainNumber(cents / 100)} ${code}`.trim();
}

/** Cents as a value a person can edit: `12500` or `12500.5`. */
export function moneyInput(cents: number): string {
  return (cents / 100).toString();
}

const RATE_SCALE = 1_000_000_000;

/**
 * An exchange rate (US dollars for one unit, in billionths) as a decimal a person types:
 * `1084500000` is `1.0845`, `6712000` is `0.006712`, `1000000000` is `1`.
 */
export function rate(billionths: number): string {
  const n = Math.round(billionths);
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  const whole = Math.floor(abs / RATE_SCALE);
  const fraction = String(abs % RATE_SCALE)
    .padStart(9, "0")
    .replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A currency as a picker shows it: `EUR — Euro` (the code alone when the name is unknown). */
export function currencyName(choices: Choice[] | undefined, code: string): string {
  const name = choices?.find((c) => c.code === code)?.label;
  return name && name !== code ? `${code} — ${name}` : code;
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
