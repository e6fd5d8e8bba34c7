//! "Today" is the person's local calendar day (times are stored in UTC, shown local).

use chrono::NaiveDate;

/// Today's date where the person is.
pub fn local() -> NaiveDate {
    chrono::Local::now().date_naive()
}
