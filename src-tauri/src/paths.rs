//! Where the database lives: the same file the `cdesk` command line uses, so both see the same
//! partners, notes and plans.

use std::path::{Path, PathBuf};

use cdesk_client::profile;

use crate::error::{AppError, AppResult};

pub use profile::{APP_DIR, DATA_DIR_ENV, DB_FILE};

/// `$CDESK_DATA_DIR` when set, else the platform's local data folder + `app.channeldesk.desktop`
/// (`cdesk_client::profile`, which the CLI uses too).
pub fn data_dir() -> AppResult<PathBuf> {
    data_dir_from(std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
}

fn data_dir_from(given: Option<PathBuf>) -> AppResult<PathBuf> {
    profile::data_dir(given.as_deref()).map_err(|e| AppError::Storage(e.to_string()))
}

/// The database file in `dir`.
pub fn database(dir: &Path) -> PathBuf {
    profile::database(dir)
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
