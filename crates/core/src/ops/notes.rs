//! Call notes (R7: every verbal interaction is logged). A note and the next steps agreed on the
//! call are saved together, in one transaction; a note captured through the partner carries
//! "(ii)" in its title.

use serde::{Deserialize, Serialize};

use super::next_steps::NewNextStep;
use super::resolve;
use crate::domain::selling::VIA_PARTNER_MARK;
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::store::{NoteCursor, NoteFilter, Reader, Store};
use crate::time::{self, Timestamp};

/// A call note with the next steps agreed on the call.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewNote {
    pub title: String,
    pub body: String,
    /// Captured through the partner: "(ii)" is added to the title.
    pub via_partner: bool,
    /// Partner, account and opportunity, each by id or name; at least one. An opportunity
    /// implies its account, and an account its co-selling partner.
    pub partner: Option<String>,
    pub account: Option<String>,
    pub opportunity: Option<String>,
    pub author: String,
    /// When the call happened: `2026-11-23T14:30:00Z` or a date; now when not given.
    pub occurred_at: Option<String>,
    pub next_steps: Vec<NewNextStep>,
}

/// The author's edit of a note; only the fields given change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NoteEdit {
    /// The note's id.
    pub note: String,
    pub title: Option<String>,
    pub body: Option<String>,
    pub via_partner: Option<bool>,
}

/// A saved note and its next steps.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoggedNote {
    pub note: CallNote,
    pub next_steps: Vec<NextStep>,
}

/// Which notes to list, newest first, one page at a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NoteQuery {
    pub partner: Option<String>,
    pub account: Option<String>,
    pub opportunity: Option<String>,
    /// The id of the last note of the previous page.
    pub before: Option<String>,
    /// Page size; 50 when 0.
    pub limit: usize,
}

/// A page of notes and, when there may be more, the id to pass as `before` for the next one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NotePage {
    pub notes: Vec<CallNote>,
    pub next_before: Option<String>,
}

/// When a call happened: a full timestamp, or a date (taken as noon UTC so that it stays on
/// that date in every timezone from UTC-11 to UTC+11).
fn occurred_at(text: Option<&str>) -> Result<Timestamp> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Timestamp::now()),
        Some(t) if t.len() == 10 => {
            let day = time::parse_date("occurred_at", t)?;
            let noon = day.and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
            Ok(Timestamp(noon))
        }
        Some(t) => Ok(Timestamp::parse("occurred_at", t)?),
    }
}

fn non_blank(key: &Option<String>) -> Option<&str> {
    key.as_deref().filter(|k| !k.trim().is_empty())
}

/// Saves a note and its next steps in one transaction: if any next step is invalid (say, a
/// due date like 2026-02-30), nothing is saved.
pub fn log_note(store: &mut Store, input: &NewNote) -> Result<LoggedNote> {
    let when = occurred_at(input.occurred_at.as_deref())?;
    store.write(|w| {
        let reader = w.read();
        let mut note = CallNote::new(&input.title, &input.body, &input.author);
        note.occurred_at = when;
        let account = match non_blank(&input.account) {
            Some(key) => Some(resolve::account(reader, key)?),
            None => None,
        };
        if let Some(key) = non_blank(&input.opportunity) {
            let opp = resolve::opportunity(reader, key, account.as_ref())?;
            note.account_id = Some(opp.account_id.clone());
            note.opportunity_id = Some(opp.id);
        }
        if let Some(a) = &account {
            note.account_id = Some(a.id.clone());
        }
        note.partner_id = match non_blank(&input.partner) {
            Some(key) => Some(reader.resolve_partner(key)?.id),
            // Inherit the account's co-selling partner so the note shows on the partner's page.
            None => match &note.account_id {
                Some(id) => reader.account(id)?.partner_id,
                None => None,
            },
        };
        if input.via_partner {
            if note.partner_id.is_none() {
                return Err(CoreError::invalid(
                    "partner",
                    "a note captured via the partner names the partner",
                ));
            }
            note.mark_via_partner();
        }
        w.put(&note)?;
        let mut steps = Vec::with_capacity(input.next_steps.len());
        for (i, step) in input.next_steps.iter().enumerate() {
            let mut s = step.to_next_step(&format!("next_steps[{}]", i + 1))?;
            s.note_id = Some(note.id.clone());
            s.partner_id = note.partner_id.clone();
            s.opportunity_id = note.opportunity_id.clone();
            w.put(&s)?;
            steps.push(s);
        }
        Ok(LoggedNote {
            note,
            next_steps: steps,
        })
    })
}

/// The author's edit of a note's title, body or via-partner mark. A via-partner note keeps its
/// "(ii)" even when the new title leaves it out; unmarking removes it.
pub fn update_note(store: &mut Store, edit: &NoteEdit) -> Result<CallNote> {
    store.write(|w| {
        let mut note = w.read().note(&edit.note)?;
        if let Some(title) = &edit.title {
            note.title = title.trim().to_string();
        }
        if let Some(body) = &edit.body {
            note.body = body.clone();
        }
        match edit.via_partner.unwrap_or(note.via_partner) {
            true => {
                if note.partner_id.is_none() {
                    return Err(CoreError::invalid(
                        "partner",
                        "a note captured via the partner names the partner",
                    ));
                }
                note.mark_via_partner();
            }
            false => {
                if note.via_partner {
                    note.title = note.title.replace(VIA_PARTNER_MARK, "").trim().to_string();
                }
                note.via_partner = false;
            }
        }
        w.put(&note)?;
        w.read().note(&note.id)
    })
}

/// A page of notes, newest first.
pub fn list_notes(reader: Reader<'_>, query: &NoteQuery) -> Result<NotePage> {
    let limit = if query.limit == 0 {
        50
    } else {
        query.limit.min(1000)
    };
    let before = match non_blank(&query.before) {
        Some(id) => {
            let last = reader.note(id)?;
            Some(NoteCursor {
                occurred_at: last.occurred_at.to_text(),
                id: last.id,
            })
        }
        None => None,
    };
    let account = match non_blank(&query.account) {
        Some(key) => Some(resolve::account(reader, key)?),
        None => None,
    };
    let filter = NoteFilter {
        partner_id: match non_blank(&query.partner) {
            Some(key) => Some(reader.resolve_partner(key)?.id),
            None => None,
        },
        opportunity_id: match non_blank(&query.opportunity) {
            Some(key) => Some(resolve::opportunity(reader, key, account.as_ref())?.id),
            None => None,
        },
        account_id: account.map(|a| a.id),
        before,
        limit,
    };
    let notes = reader.notes(&filter)?;
    let next_before = (notes.len() == limit)
        .then(|| notes.last().map(|n| n.id.clone()))
        .flatten();
    Ok(NotePage { notes, next_before })
}

/// One note by id.
pub fn note(reader: Reader<'_>, id: &str) -> Result<CallNote> {
    reader.note(id)
}
