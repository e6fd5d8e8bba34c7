//! Log files: every `tracing` event of the app (and the `log` records of Tauri and its
//! plugins) goes to stderr and to `logs/channel-desk.log` in the data folder, rotated at
//! [`MAX_FILE_BYTES`] with [`KEPT_FILES`] files kept, through `tauri-plugin-log`.
//!
//! The bridge: no `tracing` subscriber is installed, so `tracing`'s `log` feature turns each
//! event into a `log` record, which the plugin's logger writes. `CDESK_LOG` picks what is
//! written, in the `target=level` syntax it always had (`CDESK_LOG=debug`,
//! `CDESK_LOG=warn,channel_desk::sync=debug`).
//!
//! What a person typed never reaches a log file: the commands' spans record no arguments
//! (`skip_all`), since the bridge writes a span's fields with its name.

use std::path::{Path, PathBuf};

use tauri::plugin::TauriPlugin;
use tauri::Runtime;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// The variable that sets what is logged.
pub const LOG_ENV: &str = "CDESK_LOG";
/// What is logged when [`LOG_ENV`] is unset or empty.
pub const DEFAULT_FILTER: &str = "warn,channel_desk=info,cdesk_core=info";
/// The log file's name without `.log`; rotated files get a date after it.
pub const FILE_STEM: &str = "channel-desk";
/// A file is rotated once it reaches this size.
pub const MAX_FILE_BYTES: u128 = 2 * 1024 * 1024;
/// How many log files are kept, the current one included.
pub const KEPT_FILES: usize = 5;

/// The log folder of the data folder `data_dir`: one per profile, beside its database.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// The file being written now.
pub fn file(data_dir: &Path) -> PathBuf {
    folder(data_dir).join(format!("{FILE_STEM}.log"))
}

/// The filter for `spec` (the value of [`LOG_ENV`]); [`DEFAULT_FILTER`] when it is unset or
/// blank.
pub fn filter(spec: Option<&str>) -> env_filter::Filter {
    let spec = spec.map(str::trim).filter(|s| !s.is_empty());
    env_filter::Builder::new()
        .parse(spec.unwrap_or(DEFAULT_FILTER))
        .build()
}

/// The log plugin: stderr and the rotated file in [`folder`], filtered by [`LOG_ENV`].
pub fn plugin<R: Runtime>(data_dir: &Path) -> TauriPlugin<R> {
    let filter = filter(std::env::var(LOG_ENV).ok().as_deref());
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::Stderr),
            Target::new(TargetKind::Folder {
                path: folder(data_dir),
                file_name: Some(FILE_STEM.into()),
            }),
        ])
        .max_file_size(MAX_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(KEPT_FILES))
        .level(filter.filter())
        .filter(move |metadata| filter.enabled(metadata))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(filter: &env_filter::Filter, target: &str, level: log::Level) -> bool {
        filter.enabled(&log::Metadata::builder().target(target).level(level).build())
    }

    #[test]
    fn each_profile_logs_into_its_own_data_folder() {
        assert_eq!(
            file(Path::new("/tmp/profile-b")),
            Path::new("/tmp/profile-b/logs/channel-desk.log")
        );
    }

    #[test]
    fn by_default_the_app_logs_its_own_info_and_only_warnings_of_others() {
        for spec in [None, Some(""), Some("  ")] {
            let f = filter(spec);
            assert!(
                enabled(&f, "channel_desk::sync", log::Level::Info),
                "{spec:?}"
            );
            assert!(
                enabled(&f, "cdesk_core::store", log::Level::Info),
                "{spec:?}"
            );
            assert!(
                !enabled(&f, "channel_desk::sync", log::Level::Debug),
                "{spec:?}"
            );
            assert!(!enabled(&f, "tao::platform", log::Level::Info), "{spec:?}");
            assert!(enabled(&f, "tao::platform", log::Level::Warn), "{spec:?}");
        }
    }

    #[test]
    fn cdesk_log_sets_levels_per_module_as_before() {
        let f = filter(Some("error,channel_desk::sync=debug"));
        assert!(
            enabled(&f, "channel_desk::sync", log::Level::Debug),
            "asked for"
        );
        assert!(
            !enabled(&f, "channel_desk::notify", log::Level::Info),
            "only sync"
        );
        assert!(
            !enabled(&f, "cdesk_core", log::Level::Warn),
            "error elsewhere"
        );
        assert!(enabled(&f, "cdesk_core", log::Level::Error));
    }
}
