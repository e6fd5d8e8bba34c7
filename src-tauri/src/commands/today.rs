//! The Today view: the first lines of each list, and how many there are in all.

use cdesk_core::ops::{self, Scope, TodayDigest, TODAY_SHOWN};

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
/// Today for `scope`: mine, my team's or everyone's; the profile's default when `None`.
pub async fn today_digest(state: St<'_>, scope: Option<Scope>) -> AppResult<TodayDigest> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::today_digest(r, today, TODAY_SHOWN, scope))
        .await
}
