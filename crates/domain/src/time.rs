//! Ids and times: UUIDv7 ids made on the client, UTC timestamps with a fixed textual form.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{DomainError, Result};

/// A new time-ordered id (UUIDv7), made on this device.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A UTC instant stored as `2026-11-23T18:41:08.123Z`: fixed width, so text order is time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Self {
        // Millisecond precision: what the text form keeps, so a round trip is exact.
        let now = Utc::now();
        let millis = now.timestamp_millis();
        Timestamp(DateTime::from_timestamp_millis(millis).unwrap_or(now))
    }

    pub fn to_text(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub fn parse(field: &str, text: &str) -> Result<Self> {
        DateTime::parse_from_rfc3339(text.trim())
            .map(|t| Timestamp(t.with_timezone(&Utc)))
            .map_err(|_| {
                DomainError::invalid(
                    field,
                    format!("{text:?} is not a date and time like 2026-11-23T14:30:00Z"),
                )
            })
    }

    pub fn date(self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse("timestamp", &text).map_err(serde::de::Error::custom)
    }
}

/// Parses a calendar date written `YYYY-MM-DD`, naming the field when it is not a real date
/// (so `2026-02-30` is refused with a message a person understands).
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        DomainError::invalid(
            field,
            format!("{text:?} is not a valid date; write it as YYYY-MM-DD, e.g. 2026-03-31"),
        )
    })
}

/// Today where the person is: their local calendar day (a CAM in San Francisco at 5 pm is still
/// on the day UTC has left). Rules take `today` as a parameter so tests can pin it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn february_thirtieth_is_not_a_date() {
        let err = parse_date("due_on", "2026-02-30").unwrap_err();
        assert!(matches!(&err, DomainError::Invalid { field, .. } if field == "due_on"));
        assert!(
            err.to_string().contains("due_on"),
            "message names the field: {err}"
        );
    }

    #[test]
    fn leap_day_is_a_date_in_leap_years_only() {
        assert!(parse_date("d", "2028-02-29").is_ok());
        assert!(parse_date("d", "2026-02-29").is_err());
    }

    #[test]
    fn timestamp_text_is_fixed_width_and_round_trips() {
        let t = Timestamp::now();
        let text = t.to_text();
        assert_eq!(text.len(), "2026-11-23T18:41:08.123Z".len(), "{text}");
        assert_eq!(Timestamp::parse("t", &text).unwrap(), t);
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = new_id();
        let b = new_id();
        assert!(a < b, "UUIDv7 made later sorts later: {a} {b}");
    }
}
