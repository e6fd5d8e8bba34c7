//! Money as whole cents, so `$5,000.00` and `$5,000.01` compare exactly.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Result};

/// An amount in US cents.
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

    /// Parses `5000`, `5000.5`, `$5,000.01` or `5 000,00`-free US notation; at most two decimals.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let bad = || {
            DomainError::invalid(
                field,
                format!("{text:?} is not an amount of money like 12500 or $12,500.00"),
            )
        };
        let cleaned: String = text
            .trim()
            .trim_start_matches('$')
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

#[cfg(test)]
mod tests {
    use super::*;

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
