//! The main window's size and place, remembered across launches by `tauri-plugin-window-state`
//! in `window-state.json` in the data folder (so per profile). The plugin saves them when the
//! app exits cleanly; the app also saves them shortly after each move or resize, so a crash or
//! a killed process (a log-out that ends it) does not lose them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The file's name in the data folder.
pub const STATE_FILE: &str = "window-state.json";
/// How long moves and resizes must pause before the state is written.
const SETTLE: Duration = Duration::from_millis(400);

/// Where the window state of the data folder `data_dir` is kept.
pub fn state_file(data_dir: &Path) -> PathBuf {
    data_dir.join(STATE_FILE)
}

/// The plugin, keeping its file in the data folder. It joins the name it is given to the
/// app's config folder, and joining an absolute path gives that path.
pub fn plugin<R: Runtime>(data_dir: &Path) -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_filename(state_file(data_dir).to_string_lossy())
        .build()
}

/// Saves the window state once `window` has stopped moving or resizing for [`SETTLE`].
pub fn save_on_change<R: Runtime>(window: &WebviewWindow<R>) {
    let (changed, changes) = mpsc::channel::<()>();
    let app = window.app_handle().clone();
    let saver = std::thread::Builder::new()
        .name("window-state".into())
        .spawn(move || {
            while changes.recv().is_ok() {
                while changes.recv_timeout(SETTLE).is_ok() {}
                if let Err(e) = app.save_window_state(StateFlags::all()) {
                    tracing::warn!(error = %e, "the window's size and place were not saved");
                }
            }
        });
    if let Err(e) = saver {
        tracing::warn!(error = %e, "the window's size and place are saved at exit only");
        return;
    }
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            let _ = changed.send(());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_file_is_in_the_data_folder_not_the_config_folder() {
        let data_dir = std::env::temp_dir().join("profile-b");
        let config_dir = Path::new("/home/ana/.config/app.channeldesk.desktop");
        // What the plugin does with the name it is given.
        let used = config_dir.join(state_file(&data_dir).to_string_lossy().as_ref());
        assert_eq!(used, data_dir.join("window-state.json"));
    }
}
