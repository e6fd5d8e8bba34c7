//! Search across partners, notes, plans and next steps (the command palette).

use cdesk_core::ops;
use cdesk_core::store::search::SearchHit;

use super::St;
use crate::error::AppResult;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn search(state: St<'_>, text: String, limit: u32) -> AppResult<Vec<SearchHit>> {
    state
        .db
        .read(move |r| ops::search(r, &text, limit as usize))
        .await
}
