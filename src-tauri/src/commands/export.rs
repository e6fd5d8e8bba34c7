//! Where an exported document goes: a file the person picks, or the data directory's exports
//! folder. The webview gets no file-system access: the file is written here, and "Show in
//! folder" reveals only a file written here ([`Exported`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use serde::Deserialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::commands::St;
use crate::db::blocking;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The files exported since the app started: the only ones [`show_in_folder`] reveals, so the
/// webview cannot open the file manager anywhere else.
#[derive(Default)]
pub struct Exported(Mutex<HashSet<PathBuf>>);

impl Exported {
    pub fn add(&self, path: PathBuf) {
        self.0.lock().insert(path);
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.0.lock().contains(path)
    }
}

/// Where an exported document goes.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportTarget {
    /// A file the person picks in the system's save dialog.
    Dialog,
    /// The `exports` folder of the data directory (no dialog).
    DataDir,
}

/// A document ready to be saved: its suggested file name and what the save dialog says.
pub struct Export {
    /// Shown as the save dialog's title, e.g. "Export business plan".
    pub title: &'static str,
    pub file_name: String,
    /// e.g. ("Web page", "html")
    pub kind: (&'static str, &'static str),
    pub bytes: Vec<u8>,
}

/// Writes `export` to `target`; returns where, or `None` when the person cancelled the dialog.
pub async fn save(
    app: AppHandle,
    exports_dir: PathBuf,
    export: Export,
    target: ExportTarget,
) -> AppResult<Option<String>> {
    blocking(move || {
        let path: PathBuf = match target {
            ExportTarget::DataDir => {
                std::fs::create_dir_all(&exports_dir)?;
                exports_dir.join(&export.file_name)
            }
            ExportTarget::Dialog => {
                let picked = app
                    .dialog()
                    .file()
                    .set_title(export.title)
                    .set_file_name(&export.file_name)
                    .add_filter(export.kind.0, &[export.kind.1])
                    .blocking_save_file();
                match picked {
                    None => return Ok(None),
                    Some(p) => p
                        .into_path()
                        .map_err(|e| AppError::Storage(format!("not a file path: {e}")))?,
                }
            }
        };
        std::fs::write(&path, &export.bytes)?;
        let shown = path.display().to_string();
        app.state::<AppState>().exported.add(path);
        Ok(Some(shown))
    })
    .await
}

/// Shows `path`, a file exported since the app started, selected in the system's file
/// manager.
#[tauri::command]
#[specta::specta]
pub async fn show_in_folder(state: St<'_>, path: String) -> AppResult<()> {
    let path = PathBuf::from(path);
    if !state.exported.contains(&path) {
        return Err(AppError::Invalid(format!(
            "{} is not a file Channel Desk exported",
            path.display()
        )));
    }
    blocking(move || {
        tauri_plugin_opener::reveal_item_in_dir(&path)
            .map_err(|e| AppError::Internal(format!("could not show the file's folder: {e}")))
    })
    .await
}

/// A file name a person recognises and every OS accepts: `Acme _ Cloud - FY27 business
/// plan.md`.
pub fn file_name(partner: &str, what: &str, extension: &str) -> String {
    let safe: String = partner
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.&".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{} - {what}.{extension}", safe.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exported_files_are_shown_in_their_folder() {
        let exported = Exported::default();
        exported.add("/data/exports/Acme - FY27 business plan.md".into());
        assert!(exported.contains(Path::new("/data/exports/Acme - FY27 business plan.md")));
        assert!(
            !exported.contains(Path::new("/data/channel-desk.db")),
            "the webview may not reveal any other file"
        );
    }
}
