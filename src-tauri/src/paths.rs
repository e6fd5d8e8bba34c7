//! Where the database lives: the same file the `cdesk` command line uses, so both see the same
//! partners, notes and plans.

use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

/// The app's bundle identifier; also the data directory's name (as the CLI's `APP_DIR`).
pub const APP_DIR: &str = "app.channeldesk.desktop";
/// The database file inside the data directory (as the CLI's `DB_FILE`).
pub const DB_FILE: &str = "channel-desk.db";
/// Overrides the data directory (tests and second profiles use it).
pub const DATA_DIR_ENV: &str = "CDESK_DATA_DIR";

/// `$CDESK_DATA_DIR` when set, else the platform's data directory + `app.channeldesk.desktop`.
pub fn data_dir() -> AppResult<PathBuf> {
    data_dir_from(std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
}

fn data_dir_from(given: Option<PathBuf>) -> AppResult<PathBuf> {
    match given.filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => Ok(dir),
        None => dirs::data_dir()
            .map(|d| d.join(APP_DIR))
            .ok_or_else(|| AppError::Storage("this system has no data directory".into())),
    }
}

/// The database file in `dir`.
pub fn database(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

/// Where plan documents go when exported to the data directory.
pub fn exports(dir: &Path) -> PathBuf {
    dir.join("exports")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_data_dir() {
        let dir = data_dir_from(Some("/tmp/profile-b".into())).unwrap();
        assert_eq!(database(&dir), Path::new("/tmp/profile-b/channel-desk.db"));
    }

    #[test]
    fn by_default_the_cli_and_the_app_share_one_database() {
        let dir = data_dir_from(None).unwrap();
        assert!(
            dir.ends_with("app.channeldesk.desktop"),
            "{}",
            dir.display()
        );
    }
}
