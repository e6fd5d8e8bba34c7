//! The Today view: the first lines of each list, and how many there are in all.

use cdesk_core::ops::{self, Audience, Rollup, Scope, TodayDigest, TODAY_SHOWN};

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

/// A manager's roll-up per CAM for a fiscal year; the team (the manager's region) unless told.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn rollup(state: St<'_>, fiscal_year: i32, scope: Option<Scope>) -> AppResult<Rollup> {
    let today = today::local();
    state
        .db
        .read(move |r| {
            let audience = Audience::of(r, scope.unwrap_or(Scope::Team))?;
            ops::rollup(r, today, fiscal_year, &audience)
        })
        .await
}
