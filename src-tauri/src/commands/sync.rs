//! Sync from the person's side: the server and account, sign in and out (the token lives in
//! the OS keyring), "Sync now", conflicts to resolve, changes the server rejected, and changes
//! from the server this database could not store.

use cdesk_core::store::{RejectedChange, SyncStatus, UnappliedChange};
use cdesk_protocol::Conflict;
use serde::Serialize;
use tauri::AppHandle;

use super::St;
use crate::db::blocking;
use crate::error::AppResult;

/// Sync as the Settings screen and the status bar show it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SyncOverview {
    pub status: SyncStatus,
    /// The server URL, when signed in.
    pub server: Option<String>,
    pub email: Option<String>,
    /// The background loop runs (signed in, and the keyring holds the session).
    pub running: bool,
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn sync_overview(state: St<'_>) -> AppResult<SyncOverview> {
    let running = state.sync.is_running();
    let (status, account) = state
        .db
        .read(|r| Ok((r.sync_status()?, r.sync_account()?)))
        .await?;
    let (server, email) = account.unzip();
    Ok(SyncOverview {
        status,
        server,
        email,
        running,
    })
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn sign_in(
    state: St<'_>,
    app: AppHandle,
    server: String,
    email: String,
    password: String,
    ca_pem: Option<String>,
) -> AppResult<()> {
    let sync = state.sync.clone();
    let db = state.db.clone();
    blocking(move || {
        db.with_writer(|store| {
            sync.sign_in(&app, store, &server, &email, &password, ca_pem.as_deref())
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn sign_out(state: St<'_>) -> AppResult<()> {
    let sync = state.sync.clone();
    let db = state.db.clone();
    blocking(move || db.with_writer(|store| sync.sign_out(store))).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn sync_now(state: St<'_>) -> AppResult<()> {
    state.sync.sync_now()
}

/// Open conflicts as the server last reported them.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_conflicts(state: St<'_>) -> AppResult<Vec<Conflict>> {
    state.db.read(|r| r.open_conflicts()).await
}

/// Resolves a conflict with the value picked (or merged) by the person.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn resolve_conflict(
    state: St<'_>,
    id: String,
    value: serde_json::Value,
) -> AppResult<()> {
    let sync = state.sync.clone();
    let db = state.db.clone();
    blocking(move || db.with_writer(|store| sync.resolve_conflict(store, &id, value))).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn rejected_changes(state: St<'_>) -> AppResult<Vec<RejectedChange>> {
    state.db.read(|r| r.rejected_changes()).await
}

/// Changes from the server this database could not store, kept aside (tried again at every
/// sync) and shown until one that fits arrives.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn unapplied_changes(state: St<'_>) -> AppResult<Vec<UnappliedChange>> {
    state.db.read(|r| r.unapplied_changes()).await
}

/// Dismisses a rejected change the person has read.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn dismiss_rejected(state: St<'_>, mutation_id: i64) -> AppResult<()> {
    state
        .db
        .write(move |s| s.dismiss_rejected(mutation_id))
        .await
}
