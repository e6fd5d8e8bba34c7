//! The Today view: the first lines of each list, and how many there are in all.

use cdesk_core::ops::{self, TodayDigest, TODAY_SHOWN};

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn today_digest(state: St<'_>) -> AppResult<TodayDigest> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::today_digest(r, today, TODAY_SHOWN))
        .await
}
