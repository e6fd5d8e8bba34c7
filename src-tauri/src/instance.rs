//! One app per data folder: a second launch on the same folder focuses the first window and
//! exits (`tauri-plugin-single-instance`, registered before anything else so the second
//! process never opens the database or starts a sync loop, a notifier or a backup timer).
//! Launches on different folders (two profiles) both run.
//!
//! On Linux the plugin claims a D-Bus name made from [`id`]; on Windows and macOS it keys on
//! the app identifier alone, so there a second profile cannot run beside the first.

use std::path::Path;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The instance's identity: `identifier` and a digest of the data folder (its canonical
/// path when it exists), a valid D-Bus name element (`d` and 16 hex digits).
pub fn id(identifier: &str, data_dir: &Path) -> String {
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    format!(
        "{identifier}.d{:016x}",
        fnv1a(dir.as_os_str().as_encoded_bytes())
    )
}

/// FNV-1a, 64 bits: stable across builds and platforms (std's hasher promises neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The plugin for the data folder `data_dir` of the app `identifier`.
pub fn plugin<R: Runtime>(identifier: &str, data_dir: &Path) -> TauriPlugin<R> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(focus_main_window);
    #[cfg(target_os = "linux")]
    let builder = builder.dbus_id(id(identifier, data_dir));
    #[cfg(not(target_os = "linux"))]
    let _ = (identifier, data_dir);
    builder.build()
}

/// What the first instance does when a second one starts on its data folder.
fn focus_main_window<R: Runtime>(app: &AppHandle<R>, _args: Vec<String>, _cwd: String) {
    tracing::info!("another launch on this data folder: showing this window instead");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_data_folder_is_the_same_instance() {
        let dir = tempfile::tempdir().unwrap();
        let again = dir.path().join(".");
        assert_eq!(
            id("app.channeldesk.desktop", dir.path()),
            id("app.channeldesk.desktop", &again),
            "one folder, however it is spelled"
        );
    }

    #[test]
    fn another_data_folder_is_another_instance() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_ne!(
            id("app.channeldesk.desktop", a.path()),
            id("app.channeldesk.desktop", b.path()),
            "two profiles run side by side"
        );
    }

    #[test]
    fn the_id_is_a_valid_dbus_name() {
        let id = id(
            "app.channeldesk.desktop",
            Path::new("/home/ana/Channel Desk-2"),
        );
        let (base, last) = id.rsplit_once('.').unwrap();
        assert_eq!(base, "app.channeldesk.desktop");
        assert_eq!(last.len(), 17, "{id}");
        assert!(
            last.starts_with('d'),
            "an element may not start with a digit: {id}"
        );
        assert!(last[1..].chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        // The plugin appends `.SingleInstance`; D-Bus names are at most 255 bytes.
        assert!(id.len() + ".SingleInstance".len() <= 255);
    }

    #[test]
    fn the_digest_is_stable_across_builds() {
        // FNV-1a's published test vector: a change here would let two versions run at once.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
