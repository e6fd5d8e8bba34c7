//! The Today view: the first lines of each list, and how many there are in all.

use cdesk_core::ops::{self, Audience, Rollup, Scope, TodayDigest, TODAY_SHOWN};
use tauri::AppHandle;

use super::export::{self, Export, ExportTarget};
use super::St;
use crate::error::AppResult;
use crate::{paths, today};

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
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
#[tracing::instrument(skip_all, err(Debug))]
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

/// The dates to work to for `scope` (as Today's) as an iCalendar file; returns where it was
/// written, or None when the person cancelled the save dialog.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn export_calendar(
    state: St<'_>,
    app: AppHandle,
    scope: Option<Scope>,
    target: ExportTarget,
) -> AppResult<Option<String>> {
    let today = today::local();
    let ics = state
        .db
        .read(move |r| {
            let scope = match scope {
                Some(scope) => scope,
                None => Scope::default_for(r)?,
            };
            let events = ops::calendar_events(r, &Audience::of(r, scope)?, today)?;
            Ok(cdesk_core::io::calendar_ics(&events, chrono::Utc::now()))
        })
        .await?;
    let export = Export {
        title: "Export calendar",
        file_name: "Channel Desk.ics".into(),
        kind: ("Calendar", "ics"),
        bytes: ics.into_bytes(),
    };
    export::save(app, paths::exports(&state.data_dir), export, target).await
}
