//! Enablement: a partner's people and the certifications they plan or hold.

use cdesk_core::domain::{EnablementItem, Person};
use cdesk_core::ops::{self, EnablementStatusChange, NewEnablementItem, NewPerson};

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_person(state: St<'_>, input: NewPerson) -> AppResult<Person> {
    state.db.write(move |s| ops::add_person(s, &input)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn plan_enablement(state: St<'_>, input: NewEnablementItem) -> AppResult<EnablementItem> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::plan_enablement(s, &input, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_enablement_status(
    state: St<'_>,
    change: EnablementStatusChange,
) -> AppResult<EnablementItem> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::set_enablement_status(s, &change, today))
        .await
}
