import { afterEach, describe, expect, it } from "vitest";
import { currencyName, date, fixLocale, money, personLocale, rate } from "./format";

// src/test/setup.ts fixes en-US for every test; a test that changes it puts it back.
afterEach(() => fixLocale("en-US"));

describe("how amounts and dates read", () => {
  it("shows a calendar date without a time-zone shift, and a timestamp as its local day", () => {
    const local = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
    expect(date("2026-11-23")).toBe(local.format(new Date(2026, 10, 23)));
    expect(date("2026-12-07T12:00:00.000Z")).toBe(local.format(new Date("2026-12-07T12:00:00.000Z")));
    expect(date(null)).toBe("—");
  });

  it("shows cents as whole dollars", () => {
    expect(money(1_500_000)).toBe("$15,000");
    expect(money(1_500_049)).toBe("$15,000");
    expect(money(-250_000)).toBe("-$2,500");
  });

  it("shows hundredths of each currency in whole units of it", () => {
    expect(money(1_250_000, "EUR")).toBe("€12,500");
    expect(money(1_250_000, "GBP")).toBe("£12,500");
    expect(money(1_250_000, "USD")).toBe("$12,500");
    // A yen's amounts are whole hundreds of hundredths.
    expect(money(125_000_000, "JPY")).toBe("¥1,250,000");
    // Records written before amounts had a currency are in US dollars.
    expect(money(1_250_000, null)).toBe("$12,500");
  });

  it("writes amounts in the person's locale", () => {
    fixLocale("de-DE");
    expect(money(1_250_000, "EUR")).toBe("12.500\u00a0€");
    expect(money(1_250_000, "USD")).toBe("12.500\u00a0$");
    fixLocale("en-GB");
    // The formatters are per locale: en-GB tells US dollars from others.
    expect(money(1_250_000, "USD")).toBe("US$12,500");
    expect(money(1_250_000, "GBP")).toBe("£12,500");
  });

  it("takes the person's first language Intl knows, and US English from a desktop that names none", () => {
    expect(personLocale(["de-DE", "en-US"])).toBe("de-DE");
    // LANG unset: WebKit reports "C", whose POSIX variant of en-US would group no digits.
    expect(personLocale(["C"])).toBe("en-US");
    expect(personLocale(["POSIX", "fr-FR"])).toBe("fr-FR");
    expect(personLocale([])).toBe("en-US");
    fixLocale(personLocale(["C"]));
    expect(money(2_000_000, "EUR")).toBe("€20,000");
  });

  it("shows the number and the code when the code is not one Intl can write, never throws", () => {
    expect(money(1_250_000, "EURO")).toBe("12,500 EURO");
    expect(money(1_250_000, "")).toBe("12,500");
    expect(money(1_250_000, "EUR")).toBe("€12,500");
  });

  it("shows an exchange rate in billionths as the decimal a person types", () => {
    expect(rate(1_084_500_000)).toBe("1.0845");
    expect(rate(6_712_000)).toBe("0.006712");
    expect(rate(1_000_000_000)).toBe("1");
    expect(rate(1_350_000_000)).toBe("1.35");
    expect(rate(12_000_000_000)).toBe("12");
    expect(rate(1)).toBe("0.000000001");
    expect(rate(0)).toBe("0");
  });

  it("names a currency as pickers show it", () => {
    const choices = [{ code: "EUR", label: "Euro" }];
    expect(currencyName(choices, "EUR")).toBe("EUR — Euro");
    expect(currencyName(choices, "NOK")).toBe("NOK");
    expect(currencyName(undefined, "EUR")).toBe("EUR");
  });
});
