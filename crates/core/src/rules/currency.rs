//! Sums across currencies: each amount converted with the exchange rates an admin keeps (rules
//! table `exchange_rates`, US dollars for one unit), and lines saying which rates were used and
//! which currencies had none. An amount in a currency without a rate is left out of a sum, never
//! counted as if it were in another currency.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::*;

/// The admin's rates, looked up by currency code.
#[derive(Debug, Clone, Copy)]
pub struct Rates<'b>(pub &'b [ExchangeRate]);

impl<'b> Rates<'b> {
    fn rate(&self, currency: &str) -> Option<&'b ExchangeRate> {
        self.0.iter().find(|r| r.currency.as_str() == currency)
    }

    /// US dollars for one unit of `currency`: 1 for the base currency.
    pub fn usd_per_unit(&self, currency: &str) -> Option<Rate> {
        if currency == BASE_CURRENCY {
            return Some(Rate::ONE);
        }
        self.rate(currency).map(|r| r.usd_per_unit)
    }

    /// `amount` in `from` converted to `to`; `None` when either has no rate.
    pub fn convert(&self, amount: Money, from: &str, to: &str) -> Option<Money> {
        if from == to {
            return Some(amount);
        }
        Some(
            self.usd_per_unit(from)?
                .convert(amount, self.usd_per_unit(to)?),
        )
    }

    /// `amount` in US dollars for the R7 thresholds (which are in them). Without a rate the
    /// amount is compared as it is: a deal is rather asked for a command plan it may not need
    /// than let off one it does.
    pub fn in_base_or_as_is(&self, amount: Money, from: &Currency) -> Money {
        self.convert(amount, from.as_str(), BASE_CURRENCY)
            .unwrap_or(amount)
    }
}

/// A sum in one currency, being added up from amounts in any: remembers which currencies it
/// converted and which it could not.
#[derive(Debug, Clone)]
pub struct Conversion<'b> {
    rates: Rates<'b>,
    to: Currency,
    converted: BTreeSet<String>,
    missing: BTreeSet<String>,
}

impl<'b> Conversion<'b> {
    pub fn new(rates: &'b [ExchangeRate], to: Currency) -> Self {
        Conversion {
            rates: Rates(rates),
            to,
            converted: BTreeSet::new(),
            missing: BTreeSet::new(),
        }
    }

    pub fn currency(&self) -> &Currency {
        &self.to
    }

    /// `amount` in `from`, in the sum's currency; `None` (and remembered) without a rate.
    pub fn convert(&mut self, amount: Money, from: &str) -> Option<Money> {
        if from == self.to.as_str() {
            return Some(amount);
        }
        match self.rates.convert(amount, from, self.to.as_str()) {
            Some(converted) => {
                if !self.converted.contains(from) {
                    self.converted.insert(from.to_string());
                }
                Some(converted)
            }
            None => {
                // The rate missing may be the sum's own (euros with no rate, dollars to add).
                let lacking = match self.rates.usd_per_unit(from) {
                    None => from,
                    Some(_) => self.to.as_str(),
                };
                if !self.missing.contains(lacking) {
                    self.missing.insert(lacking.to_string());
                }
                None
            }
        }
    }

    /// What was converted, in words for the person reading the sums.
    pub fn finish(self) -> Converted {
        let mut rates: Vec<ExchangeRate> = Vec::new();
        // The rates used: those of each currency converted from, and the sum's own.
        let to_rate = (!self.to.is_base() && !self.converted.is_empty())
            .then(|| self.rates.rate(self.to.as_str()))
            .flatten();
        for c in &self.converted {
            if let Some(r) = self.rates.rate(c) {
                rates.push(r.clone());
            }
        }
        rates.extend(to_rate.cloned());
        let missing: Vec<Currency> = self.missing.into_iter().map(Currency).collect();
        let mut lines = Vec::new();
        if !self.converted.is_empty() {
            let from: Vec<&str> = self.converted.iter().map(String::as_str).collect();
            let each: Vec<String> = rates
                .iter()
                .map(|r| format!("1 {} = {} USD ({})", r.currency, r.usd_per_unit, r.as_of))
                .collect();
            lines.push(format!(
                "Amounts in {} converted to {} at the exchange rates in the rules: {}.",
                and_list(&from),
                self.to,
                each.join(", ")
            ));
        }
        if !missing.is_empty() {
            let codes: Vec<&str> = missing.iter().map(Currency::as_str).collect();
            lines.push(format!(
                "No exchange rate for {}: amounts in it are left out of these sums until an \
                 admin adds the rate to the rules.",
                and_list(&codes)
            ));
        }
        Converted {
            currency: self.to,
            rates,
            missing,
            lines,
        }
    }
}

/// "EUR", "EUR and GBP", "AUD, EUR and GBP".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The currency of a set of sums and how amounts in others were brought into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Converted {
    /// Every sum is in this currency.
    pub currency: Currency,
    /// The rates used, when anything was converted.
    pub rates: Vec<ExchangeRate>,
    /// Currencies without a rate: amounts in them are left out of the sums.
    pub missing: Vec<Currency>,
    /// The two facts above in words ("Amounts in EUR converted to USD at …"); empty when every
    /// amount was already in `currency`.
    pub lines: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(code: &str, usd: &str) -> ExchangeRate {
        ExchangeRate {
            id: code.to_lowercase(),
            currency: Currency(code.into()),
            usd_per_unit: Rate::parse("rate", usd).unwrap(),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        }
    }

    #[test]
    fn a_sum_in_euros_converts_dollars_and_pounds_and_names_what_it_could_not() {
        let rates = [rate("EUR", "1.08"), rate("GBP", "1.35")];
        let mut sum = Conversion::new(&rates, Currency("EUR".into()));
        assert_eq!(sum.convert(Money(10_000), "EUR"), Some(Money(10_000)));
        assert_eq!(sum.convert(Money(10_800), "USD"), Some(Money(10_000)));
        assert_eq!(sum.convert(Money(10_800), "GBP"), Some(Money(13_500)));
        assert_eq!(sum.convert(Money(10_000), "JPY"), None);
        let done = sum.finish();
        assert_eq!(done.missing, vec![Currency("JPY".into())]);
        let codes: Vec<&str> = done.rates.iter().map(|r| r.currency.as_str()).collect();
        assert_eq!(codes, ["GBP", "EUR"]);
        assert_eq!(
            done.lines[0],
            "Amounts in GBP and USD converted to EUR at the exchange rates in the rules: \
             1 GBP = 1.35 USD (2026-12-01), 1 EUR = 1.08 USD (2026-12-01)."
        );
        assert!(done.lines[1].starts_with("No exchange rate for JPY"));
    }

    #[test]
    fn a_sum_in_a_currency_without_a_rate_names_that_currency() {
        let rates = [rate("GBP", "1.35")];
        let mut sum = Conversion::new(&rates, Currency("EUR".into()));
        assert_eq!(sum.convert(Money(100), "USD"), None);
        assert_eq!(sum.convert(Money(100), "GBP"), None);
        assert_eq!(sum.finish().missing, vec![Currency("EUR".into())]);
    }

    #[test]
    fn a_sum_all_in_one_currency_says_nothing() {
        let mut sum = Conversion::new(&[], Currency::default());
        assert_eq!(sum.convert(Money(5), "USD"), Some(Money(5)));
        assert_eq!(sum.finish().lines, Vec::<String>::new());
    }

    #[test]
    fn r7_compares_in_dollars_and_without_a_rate_as_is() {
        let rates = [rate("JPY", "0.0067")];
        let yen = Currency("JPY".into());
        assert_eq!(
            Rates(&rates).in_base_or_as_is(Money(100_000_000), &yen),
            Money(670_000)
        );
        let pounds = Currency("GBP".into());
        assert_eq!(Rates(&rates).in_base_or_as_is(Money(9), &pounds), Money(9));
    }
}
