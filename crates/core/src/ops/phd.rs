//! The Partner Help Desk's reviews: who is due this week, this month and this quarter (see
//! [`crate::rules::phd`]), and recording a review: the Last PHD review date and a line in the
//! partner's account notes, as the handbook asks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::audience::Audience;
use super::input;
use crate::domain::Partner;
use crate::error::{CoreError, Result};
use crate::rules::{phd_reviews_due, PhdDue};
use crate::store::{Reader, Store};

/// A PHD review done: when, and what it found (added to the account notes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PhdReviewInput {
    /// Partner id or name.
    pub partner: String,
    pub reviewed_on: String,
    /// What the review found; empty adds nothing to the account notes.
    pub note: Option<String>,
}

/// The PHD reviews due as of `today` for the partners in `audience`, in working order.
pub fn phd_reviews(
    reader: Reader<'_>,
    audience: &Audience,
    today: NaiveDate,
) -> Result<Vec<PhdDue>> {
    let partners: Vec<Partner> = reader
        .partners(&Default::default())?
        .into_iter()
        .filter(|p| audience.partner(Some(&p.id)))
        .collect();
    Ok(phd_reviews_due(&partners, today))
}

/// Records a PHD review: sets the Last PHD review date (never moving it back) and adds
/// "YYYY-MM-DD PHD review: …" to the account notes.
pub fn record_phd_review(
    store: &mut Store,
    review: &PhdReviewInput,
    today: NaiveDate,
) -> Result<Partner> {
    let reviewed_on = input::date("reviewed_on", &review.reviewed_on)?;
    if reviewed_on > today {
        return Err(CoreError::invalid(
            "reviewed_on",
            format!("{reviewed_on} is in the future: record it when it has happened"),
        ));
    }
    let note = review
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    store.write(|w| {
        let mut p = w.read().resolve_partner(&review.partner)?;
        if p.last_phd_review.is_none_or(|last| last < reviewed_on) {
            p.last_phd_review = Some(reviewed_on);
        }
        if let Some(note) = note {
            let line = format!("{reviewed_on} PHD review: {note}");
            p.account_notes = if p.account_notes.trim().is_empty() {
                line
            } else {
                format!("{}\n{line}", p.account_notes.trim_end())
            };
        }
        w.put(&p)?;
        w.read().partner(&p.id)
    })
}
