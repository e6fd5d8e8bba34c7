//! Drafts: what the person is typing, saved as they type (local only, never synced).

use cdesk_core::ops;
use cdesk_core::store::Draft;

use super::St;
use crate::error::AppResult;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn save_draft(state: St<'_>, key: String, body: String) -> AppResult<Draft> {
    state
        .db
        .write(move |s| ops::save_draft(s, &key, &body))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn get_draft(state: St<'_>, key: String) -> AppResult<Option<Draft>> {
    state.db.read(move |r| ops::draft(r, &key)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn discard_draft(state: St<'_>, key: String) -> AppResult<()> {
    state.db.write(move |s| ops::discard_draft(s, &key)).await
}
