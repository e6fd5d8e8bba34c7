//! Where an exported document goes: a file the person picks, or the data directory's exports
//! folder. The webview gets no file-system access: the file is written here.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::db::blocking;
use crate::error::{AppError, AppResult};

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
        Ok(Some(path.display().to_string()))
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
