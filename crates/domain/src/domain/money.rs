//! Money as whole hundredths of its currency's unit, so `$5,000.00` and `$5,000.01` compare
//! exactly; the ISO 4217 currency a record's amounts are in; and exchange rates to the program's
//! base currency (US dollars), for sums across currencies.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Result};

/// An amount in hundredths of its currency's unit (cents of a dollar or a euro; a yen's
/// amounts are whole hundreds). The currency is the record's (`currency` beside the amounts).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub fn from_dollars(dollars: i64) -> Self {
        Money(dollars * 100)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses `5000`, `5000.5`, `$5,000.01` or `€5,000.01`: a currency sign is allowed (the
    /// record's currency says which); at most two decimals.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let bad = || {
            DomainError::invalid(
                field,
                format!("{text:?} is not an amount of money like 12500 or $12,500.00"),
            )
        };
        let cleaned: String = text
            .trim()
            .trim_start_matches(['$', '€', '£', '¥'])
            .chars()
            .filter(|c| *c != ',' && *c != ' ')
            .collect();
        if cleaned.is_empty() {
            return Err(bad());
        }
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || frac.len() > 2 {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .ok_or_else(bad)?;
        Ok(Money(if negative { -cents } else { cents }))
    }
}

/// Sums saturate: a total is never silently wrapped to a negative amount.
impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::default(), |a, b| a + b)
    }
}

impl std::fmt::Display for Money {
    /// `$12,500.00`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

/// The program's base currency: R7 thresholds are in it, and sums across currencies (a
/// manager's roll-up) are converted to it.
pub const BASE_CURRENCY: &str = "USD";

/// An ISO 4217 currency code in use (`USD`, `EUR`, `JPY`): the currency of a record's amounts.
/// Records written before amounts had a currency are in US dollars.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Currency(pub String);

impl Default for Currency {
    fn default() -> Self {
        Currency(BASE_CURRENCY.to_string())
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Currency {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_base(&self) -> bool {
        self.0 == BASE_CURRENCY
    }

    /// A code as a person types it (`eur`, ` EUR `), checked as [`Currency::validate`] does.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let currency = Currency(text.trim().to_ascii_uppercase());
        currency.validate(field)?;
        Ok(currency)
    }

    /// The ISO 4217 currency, if the code is one in use for money (not a fund, a precious
    /// metal or a code replaced by another).
    fn iso(&self) -> Option<iso_currency::Currency> {
        iso_currency::Currency::from_code(&self.0)
            .filter(|c| !c.is_fund() && !c.is_special() && c.is_superseded().is_none())
    }

    pub fn validate(&self, field: &str) -> Result<()> {
        if self.iso().is_some() {
            return Ok(());
        }
        let why = match iso_currency::Currency::from_code(&self.0).and_then(|c| c.is_superseded()) {
            Some(by) => format!(
                "{} is no longer in use: it was replaced by {}",
                self.0,
                by.code()
            ),
            None => format!(
                "{:?} is not an ISO 4217 currency code like USD, EUR or JPY",
                self.0
            ),
        };
        Err(DomainError::invalid(field, why))
    }

    /// The currency's English name ("Euro"), or its code when it is not one in use.
    pub fn name(&self) -> String {
        match self.iso() {
            Some(c) => c.name().to_string(),
            None => self.0.clone(),
        }
    }

    /// Every currency in use for money, by code: what a currency picker offers.
    pub fn all() -> Vec<Currency> {
        use iso_currency::IntoEnumIterator;
        let mut all: Vec<Currency> = iso_currency::Currency::iter()
            .map(|c| Currency(c.code().to_string()))
            .filter(|c| c.iso().is_some())
            .collect();
        all.sort();
        all
    }

    /// `amount` written with this currency: `$12,500.00` for US dollars, `12,500.00 EUR` for
    /// the others (the app formats in the person's locale; this is for the command line and
    /// messages).
    pub fn format(&self, amount: Money) -> String {
        if self.is_base() {
            amount.to_string()
        } else {
            let plain = amount.to_string().replacen('$', "", 1);
            format!("{plain} {}", self.0)
        }
    }
}

/// How many US dollars one unit of a currency is worth, in billionths: exact to parse and to
/// compare, and fine enough for the yen (0.006712 is 6,712,000).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Rate(pub i64);

impl Rate {
    const SCALE: i64 = 1_000_000_000;
    /// The base currency's rate to itself.
    pub const ONE: Rate = Rate(Rate::SCALE);

    /// Parses `1.0845` or `0.006712`: a positive decimal with at most nine decimals.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let bad = || {
            DomainError::invalid(
                field,
                format!("{text:?} is not a rate like 1.0845 (US dollars for one unit)"),
            )
        };
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && frac.is_empty()
            || !all_digits(whole)
            || !all_digits(frac)
            || frac.len() > 9
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac: i64 = format!("{frac:0<9}").parse().map_err(|_| bad())?;
        let rate = whole
            .checked_mul(Rate::SCALE)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        let rate = Rate(rate);
        rate.validate(field)?;
        Ok(rate)
    }

    pub fn validate(self, field: &str) -> Result<()> {
        if self.0 <= 0 {
            return Err(DomainError::invalid(field, "must be more than 0"));
        }
        Ok(())
    }

    /// `amount` in a currency worth `self` US dollars a unit, in one worth `to`: rounded to the
    /// nearest hundredth, halves away from zero; saturating as sums of money do.
    pub fn convert(self, amount: Money, to: Rate) -> Money {
        if self == to {
            return amount;
        }
        let num = i128::from(amount.0) * i128::from(self.0);
        let den = i128::from(to.0.max(1));
        let rounded = (num.abs() + den / 2) / den * num.signum();
        Money(rounded.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
    }
}

impl std::fmt::Display for Rate {
    /// `1.0845`, `0.006712`, `1`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / Rate::SCALE;
        let frac = format!("{:09}", self.0 % Rate::SCALE);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            write!(f, "{whole}")
        } else {
            write!(f, "{whole}.{frac}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_are_iso_codes_in_use() {
        assert_eq!(
            Currency::parse("c", " eur ").unwrap(),
            Currency("EUR".into())
        );
        assert_eq!(Currency::default().as_str(), "USD");
        for bad in ["", "EURO", "ZZZ", "XAU", "usd1"] {
            assert!(Currency::parse("currency", bad).is_err(), "{bad:?}");
        }
        let replaced = Currency::parse("currency", "HRK").unwrap_err().to_string();
        assert!(replaced.contains("replaced by EUR"), "{replaced}");
        assert_eq!(Currency("JPY".into()).name(), "Japanese yen");
        let all = Currency::all();
        assert!(all.len() > 100 && all.contains(&Currency("INR".into())));
        assert!(!all.contains(&Currency("XAU".into())));
    }

    #[test]
    fn amounts_are_written_with_their_currency() {
        assert_eq!(Currency::default().format(Money(123_456)), "$1,234.56");
        assert_eq!(
            Currency("EUR".into()).format(Money(-123_456)),
            "-1,234.56 EUR"
        );
    }

    #[test]
    fn rates_parse_display_and_convert_exactly() {
        let eur = Rate::parse("rate", "1.0845").unwrap();
        assert_eq!(eur, Rate(1_084_500_000));
        assert_eq!(eur.to_string(), "1.0845");
        assert_eq!(Rate::parse("rate", ".5").unwrap().to_string(), "0.5");
        assert_eq!(Rate::ONE.to_string(), "1");
        for bad in ["", "0", "-1", "1.0000000001", "abc", "1,08", "."] {
            assert!(Rate::parse("rate", bad).is_err(), "{bad:?}");
        }
        // €1,000.00 at 1.0845 is $1,084.50; back again is €1,000.00.
        let dollars = eur.convert(Money(100_000), Rate::ONE);
        assert_eq!(dollars, Money(108_450));
        assert_eq!(Rate::ONE.convert(dollars, eur), Money(100_000));
        // Euros to yen through the dollar: ¥ at 0.006712 a unit.
        let yen = Rate::parse("rate", "0.006712").unwrap();
        assert_eq!(eur.convert(Money(100), yen), Money(16_158));
        assert_eq!(eur.convert(Money(-100_000), Rate::ONE), Money(-108_450));
        assert_eq!(
            Rate(i64::MAX).convert(Money(i64::MAX), Rate(1)),
            Money(i64::MAX)
        );
    }

    #[test]
    fn parses_common_notations() {
        assert_eq!(Money::parse("a", "5000").unwrap(), Money(500_000));
        assert_eq!(Money::parse("a", "$5,000.01").unwrap(), Money(500_001));
        assert_eq!(Money::parse("a", "12.5").unwrap(), Money(1_250));
        assert_eq!(Money::parse("a", "-3").unwrap(), Money(-300));
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in ["", "abc", "1.234", "1e5", "$", "--1", "9999999999999999999"] {
            assert!(
                Money::parse("amount", bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn displays_grouped_dollars() {
        assert_eq!(Money(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money(500).to_string(), "$5.00");
        assert_eq!(Money(-1).to_string(), "-$0.01");
    }
}
