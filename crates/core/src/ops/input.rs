//! Parsing of what a person typed into the values the domain needs, naming the field on error.

use chrono::NaiveDate;

use crate::domain::Money;
use crate::error::{CoreError, Result};
use crate::time;

/// A required date, `YYYY-MM-DD`.
pub(crate) fn date(field: &str, text: &str) -> Result<NaiveDate> {
    Ok(time::parse_date(field, text)?)
}

/// An optional date; a blank one counts as not given (forms send empty strings).
pub(crate) fn optional_date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(time::parse_date(field, t)?)),
        None => Ok(None),
    }
}

/// An optional amount of money; blank counts as not given.
pub(crate) fn optional_money(field: &str, text: Option<&str>) -> Result<Option<Money>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(Money::parse(field, t)?)),
        None => Ok(None),
    }
}

/// An optional closed-vocabulary value (`Track::parse`, `Tier::parse`, ...).
pub(crate) fn optional<T, E: Into<CoreError>>(
    field: &str,
    text: Option<&str>,
    parse: fn(&str, &str) -> std::result::Result<T, E>,
) -> Result<Option<T>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => parse(field, t).map(Some).map_err(Into::into),
        None => Ok(None),
    }
}

/// A list of closed-vocabulary values, without repeats, in the order given.
pub(crate) fn list<T: PartialEq, E: Into<CoreError>>(
    field: &str,
    texts: &[String],
    parse: fn(&str, &str) -> std::result::Result<T, E>,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter().filter(|t| !t.trim().is_empty()) {
        let value = parse(field, text).map_err(Into::into)?;
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}
