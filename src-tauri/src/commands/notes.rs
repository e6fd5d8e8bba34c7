//! Call notes (with the next steps agreed on the call) and next steps.

use cdesk_core::domain::{CallNote, NextStep};
use cdesk_core::ops::{
    self, LoggedNote, NewNote, NewStandaloneNextStep, NextStepLine, NextStepQuery, NoteEdit,
    NotePage, NoteQuery, RequestedUpdate, UpdateRequest,
};

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn log_note(state: St<'_>, input: NewNote) -> AppResult<LoggedNote> {
    state
        .db
        .write(move |s| {
            // The author is whoever this profile belongs to, whatever the page sent.
            let mut input = input;
            if let Some(author) = s.read().default_author()? {
                input.author = author;
            }
            ops::log_note(s, &input)
        })
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_note(state: St<'_>, edit: NoteEdit) -> AppResult<CallNote> {
    state.db.write(move |s| ops::update_note(s, &edit)).await
}

/// A page of notes, newest first (pass the page's `next_before` to get the next one).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_notes(state: St<'_>, query: NoteQuery) -> AppResult<NotePage> {
    state.db.read(move |r| ops::list_notes(r, &query)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn get_note(state: St<'_>, id: String) -> AppResult<CallNote> {
    state.db.read(move |r| ops::note(r, &id)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_next_steps(state: St<'_>, query: NextStepQuery) -> AppResult<Vec<NextStepLine>> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::list_next_steps(r, &query, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_next_step(state: St<'_>, input: NewStandaloneNextStep) -> AppResult<NextStep> {
    state.db.write(move |s| ops::add_next_step(s, &input)).await
}

/// Asks the partner for an update on an overdue task: the chase is logged as a note by this
/// profile's person, and the step moves to the new date.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn request_update(state: St<'_>, request: UpdateRequest) -> AppResult<RequestedUpdate> {
    let today = today::local();
    state
        .db
        .write(move |s| {
            let mut request = request;
            if let Some(author) = s.read().default_author()? {
                request.author = author;
            }
            ops::request_update(s, &request, today)
        })
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_next_step_done(state: St<'_>, id: String, done: bool) -> AppResult<NextStep> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::set_next_step_done(s, &id, done, today))
        .await
}
