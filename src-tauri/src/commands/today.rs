//! The Today view.

use cdesk_core::ops::{self, TodaySummary};

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn today_summary(state: St<'_>) -> AppResult<TodaySummary> {
    let today = today::local();
    state.db.read(move |r| ops::today_summary(r, today)).await
}
