//! NFR licence requests (seed 003) and the curriculum progress of a partner's people.

use cdesk_core::ops::{self, NewNfrRequest, NfrLine, NfrStatusChange, PersonCurriculum};
use cdesk_core::rules::NfrEligibility;

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// A partner's NFR licence requests, newest first, each with its checks as of today.
pub async fn nfr_requests(state: St<'_>, partner: String) -> AppResult<Vec<NfrLine>> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::nfr_requests(r, &partner, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// The checks a request to this contact would meet today, shown as the form is filled in.
pub async fn nfr_precheck(
    state: St<'_>,
    partner: String,
    contact_name: String,
    contact_email: String,
) -> AppResult<NfrEligibility> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::nfr_precheck(r, &partner, &contact_name, &contact_email, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// Records an NFR licence request, asked by whoever this profile belongs to.
pub async fn request_nfr(state: St<'_>, request: NewNfrRequest) -> AppResult<NfrLine> {
    let today = today::local();
    state
        .db
        .write(move |s| {
            let mut request = request;
            if let Some(author) = s.read().default_author()? {
                request.requested_by = author;
            }
            ops::request_nfr(s, &request, today)
        })
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// The help desk moves a request on: verified, sent, or refused with the reason.
pub async fn set_nfr_status(state: St<'_>, change: NfrStatusChange) -> AppResult<NfrLine> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::set_nfr_status(s, &change, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// Each of a partner's people's progress through the core and advanced curriculum.
pub async fn curriculum_progress(
    state: St<'_>,
    partner: String,
) -> AppResult<Vec<PersonCurriculum>> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::curriculum_progress(r, &partner, today))
        .await
}
