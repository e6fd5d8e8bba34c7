//! Channel Desk's desktop shell: Tauri 2 over `cdesk_core`.
//!
//! - [`commands`]: what the UI may call, one module per area, each a thin edge over a use case
//!   of `cdesk_core::ops`, run on the blocking pool ([`db`]).
//! - [`bindings`]: the TypeScript types and wrappers generated from these commands
//!   (`ui/src/lib/bindings.ts`); a test fails when the committed file is stale.
//! - [`sync`]: background sync while signed in; [`notify`]: the OS notification for due next
//!   steps.
//! - Desktop basics: [`instance`] (one app per data folder), [`window`] (its size and place
//!   remembered), [`logs`] (rotated log files), [`fatal`] (a dialog for a fatal error or a
//!   panic).
//!
//! The UI gets only the permissions of `capabilities/main.json`: these commands and event
//! listening, nothing of the file system, the shell or the keyring ("Show in folder" is a
//! command of ours that reveals only a file the app exported).

pub mod bindings;
pub mod commands;
pub mod db;
pub mod error;
pub mod events;
pub mod fatal;
pub mod instance;
pub mod logs;
pub mod notify;
pub mod paths;
pub mod state;
pub mod sync;
pub mod today;
pub mod window;

use std::sync::Arc;

use tauri::Manager;

use crate::db::Db;
use crate::state::AppState;
use crate::sync::SyncControl;

/// WebKitGTK's accelerated compositing draws every frame through OpenGL; without a GPU (a VM,
/// Xvfb, many thin clients) that is software GL, which made scrolling the partners list run at
/// ~20 frames a second and cost the web process ~150 MB more. A forms-and-lists app gains
/// nothing from it, so it is off unless the person's environment already says otherwise
/// (`WEBKIT_DISABLE_COMPOSITING_MODE=0` turns it back on). Call before any thread starts.
pub fn linux_rendering_defaults() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// How long after start the daily backup waits (the CLI takes it at once).
const DAILY_BACKUP_DELAY: std::time::Duration = std::time::Duration::from_secs(20);

/// Starts the app; returns when its window is closed.
pub fn run() {
    fatal::install_panic_hook();
    let builder = bindings::builder();
    let data_dir = match paths::data_dir() {
        Ok(d) => d,
        Err(e) => fatal::fatal(&e.to_string()),
    };
    fatal::set_log_file(logs::file(&data_dir));
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();

    let result = tauri::Builder::default()
        // First: a second launch on this data folder exits here, before anything else starts.
        .plugin(instance::plugin(&identifier, &data_dir))
        .plugin(logs::plugin(&data_dir))
        .plugin(window::plugin(&data_dir))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            fatal::app_started(app.handle().clone());
            tracing::info!(data_dir = %data_dir.display(), "Channel Desk started");
            // Opened (and its integrity checked) while the window starts. A damaged file
            // still starts the app: its first screen offers to restore a backup.
            let db = Db::open_in_background(&paths::database(&data_dir), fatal::fatal);
            app.manage(AppState {
                db,
                data_dir,
                sync: Arc::new(SyncControl::default()),
                notified: Default::default(),
                exported: Default::default(),
            });
            builder.mount_events(app);
            if let Some(window) = app.get_webview_window("main") {
                window::save_on_change(&window);
            }
            let handle = app.handle().clone();
            // Resume the saved session and start the notifier off the main thread: the
            // keyring and the first query must not delay the window.
            std::thread::spawn(move || {
                let state = handle.state::<AppState>();
                let resumed = state
                    .db
                    .with_writer(|store| state.sync.resume(&handle, store));
                if let Err(e) = resumed {
                    tracing::warn!(error = %e, "sync not resumed; sign in again in Settings");
                }
                notify::watch(handle.clone());
            });
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                // Copying a large database takes seconds of both cores: not while the window
                // is still starting.
                std::thread::sleep(DAILY_BACKUP_DELAY);
                match handle.state::<AppState>().db.backup_if_due() {
                    Ok(Some(made)) => tracing::info!(backup = %made.path, "daily backup taken"),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "the daily backup failed"),
                }
            });
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        fatal::fatal(&format!("Channel Desk could not start: {e}"));
    }
}
