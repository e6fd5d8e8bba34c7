import { describe, expect, it } from "vitest";
import { vocabulary } from "../test/fixtures";
import { currencyGroups, isMissingRate } from "./currencies";

const codes = (l: { code: string }[]) => l.map((c) => c.code);

describe("currency pickers", () => {
  it("offer the common currencies first, in their order, then the others by code", () => {
    const { common, others } = currencyGroups(vocabulary().currencies);
    expect(codes(common)).toEqual(["USD", "EUR", "GBP", "JPY", "AUD"]);
    expect(codes(others)).toEqual(["BRL", "NOK"]);
  });

  it("keep a record's code the vocabulary lacks, and leave out the codes asked", () => {
    const { common, others } = currencyGroups(vocabulary().currencies, "XTS", ["USD", "EUR", "NOK"]);
    expect(codes(common)).toEqual(["GBP", "JPY", "AUD"]);
    expect(codes(others)).toEqual(["BRL", "XTS"]);
    expect(codes(currencyGroups(undefined, "EUR").common)).toEqual(["EUR"]);
  });

  it("tell the sentence about a missing rate from the one about the rates used", () => {
    expect(isMissingRate("No exchange rate for JPY: amounts in it are left out of these sums.")).toBe(true);
    expect(isMissingRate("Amounts in GBP converted to EUR at the exchange rates in the rules: …")).toBe(false);
  });
});
