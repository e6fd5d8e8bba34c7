//! CSV import: a preview with per-row errors, then an all-or-nothing run. The UI reads the file
//! the person picked (an `<input type="file">`) and passes its text: the webview needs no
//! file-system permission.

use cdesk_core::io::{preview_import as preview, run_import as run, ImportKind, ImportReport};

use super::St;
use crate::error::AppResult;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, fields(bytes = csv.len()), err(Debug))]
pub async fn preview_import(
    state: St<'_>,
    kind: ImportKind,
    csv: String,
) -> AppResult<ImportReport> {
    state
        .db
        .read_store(move |s| preview(s, kind, csv.as_bytes()))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, fields(bytes = csv.len()), err(Debug))]
pub async fn run_import(state: St<'_>, kind: ImportKind, csv: String) -> AppResult<ImportReport> {
    state.db.write(move |s| run(s, kind, csv.as_bytes())).await
}
