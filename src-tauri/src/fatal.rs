//! When the app cannot go on: a fatal start error or a panic is logged (to the log file when
//! the logger is up, else appended to it directly), printed to stderr and shown in a native
//! message dialog naming what failed and where the log file is.
//!
//! The dialog: once the Tauri app runs, through `tauri-plugin-dialog` (it needs the app's
//! main loop, so not from the main thread, which is then stopped in the panic); before the
//! app exists, through `rfd` (the crate behind that plugin), which runs its own GTK loop.

use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

static LOG_FILE: OnceLock<PathBuf> = OnceLock::new();
static APP: OnceLock<AppHandle> = OnceLock::new();
/// One dialog at a time: a panic while one is up is logged only.
static SHOWING: AtomicBool = AtomicBool::new(false);

/// Where the log is written, for the dialog to name (set once the data folder is known).
pub fn set_log_file(path: PathBuf) {
    let _ = LOG_FILE.set(path);
}

/// The app runs, with its logger: from now on dialogs go through the dialog plugin.
pub fn app_started(app: AppHandle) {
    let _ = APP.set(app);
}

/// Reports a fatal start error and exits with status 1.
pub fn fatal(message: &str) -> ! {
    report("Channel Desk could not start", message);
    std::process::exit(1);
}

/// Reports every panic (after the default hook has printed it) as [`fatal`] reports errors.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        report(
            "Channel Desk stopped on an internal error",
            &panic_text(info),
        );
    }));
}

/// The dialog's text: what failed and where the details are.
pub fn dialog_text(what: &str, log_file: Option<&Path>) -> String {
    let mut text = what.trim_end().to_string();
    match log_file {
        Some(file) => {
            let _ = write!(
                text,
                "\n\nThe log file has the details:\n{}",
                file.display()
            );
        }
        None => text.push_str("\n\nThere is no log file: the data folder is unknown."),
    }
    text
}

fn panic_text(info: &PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let thread = std::thread::current();
    let mut text = format!(
        "A panic in thread '{}': {payload}",
        thread.name().unwrap_or("unnamed")
    );
    if let Some(at) = info.location() {
        let _ = write!(text, " (at {at})");
    }
    text
}

fn report(title: &str, what: &str) {
    tracing::error!("{title}: {what}");
    eprintln!("Channel Desk: {what}");
    let log_file = LOG_FILE.get().map(PathBuf::as_path);
    if APP.get().is_none() {
        // No logger yet: the line goes to the file by hand.
        if let Some(file) = log_file {
            let _ = append_line(file, &format!("[fatal] {title}: {what}"));
        }
    }
    if SHOWING.swap(true, Ordering::SeqCst) {
        return;
    }
    show_dialog(title, &dialog_text(what, log_file));
    SHOWING.store(false, Ordering::SeqCst);
}

fn append_line(file: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)?;
    writeln!(out, "{line}")
}

fn show_dialog(title: &str, text: &str) {
    match APP.get() {
        Some(app) if std::thread::current().name() != Some("main") => {
            app.dialog()
                .message(text)
                .title(title)
                .kind(MessageDialogKind::Error)
                .blocking_show();
        }
        // The main thread is the one stopped here: no dialog can run on its loop.
        Some(_) => {}
        None => {
            rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title(title)
                .set_description(text)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_names_what_failed_and_the_log_file() {
        let text = dialog_text(
            "the database is locked\n",
            Some(Path::new("/d/logs/channel-desk.log")),
        );
        assert!(text.starts_with("the database is locked\n\n"), "{text}");
        assert!(text.ends_with("\n/d/logs/channel-desk.log"), "{text}");
    }

    #[test]
    fn without_a_data_folder_the_dialog_says_there_is_no_log() {
        let text = dialog_text("no home folder", None);
        assert!(text.contains("no log file"), "{text}");
    }

    #[test]
    fn before_the_app_runs_a_fatal_line_is_appended_to_the_log_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("logs").join("channel-desk.log");
        append_line(&file, "one").unwrap();
        append_line(&file, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "one\ntwo\n");
    }
}
