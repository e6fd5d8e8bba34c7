//! "Today" is the person's local calendar day (times are stored in UTC, shown local).

use chrono::NaiveDate;

/// Today's date where the person is (the core's one definition, as the CLI uses it).
pub fn local() -> NaiveDate {
    cdesk_core::time::today()
}
