//! Where a profile lives on disk: one answer for the `cdesk` CLI and the desktop app, so both
//! open the same database.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// The data folder's name (the app's bundle identifier).
pub const APP_DIR: &str = "app.channeldesk.desktop";
/// The database file inside the data folder.
pub const DB_FILE: &str = "channel-desk.db";
/// Overrides the data folder (tests, second profiles; `cdesk --data-dir` too).
pub const DATA_DIR_ENV: &str = "CDESK_DATA_DIR";

#[derive(Debug, Error)]
#[error("this system has no folder for application data; set {DATA_DIR_ENV} (or pass --data-dir)")]
pub struct NoDataDir;

/// `given` (a flag or `$CDESK_DATA_DIR`) when set and not empty, else the platform's local
/// application data folder + [`APP_DIR`]: `%LOCALAPPDATA%` on Windows (not the roaming
/// profile, which would copy a large database at every logon), `~/Library/Application
/// Support` on macOS, `$XDG_DATA_HOME` or `~/.local/share` on Linux.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf, NoDataDir> {
    match given.filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => Ok(dir.to_path_buf()),
        None => dirs::data_local_dir()
            .map(|d| d.join(APP_DIR))
            .ok_or(NoDataDir),
    }
}

/// This computer's name as its OS gives it ("Ana's MacBook Pro", the Windows computer name,
/// the host name): how the server lists this device's sessions. Read from the OS, not from
/// `$HOSTNAME`, which desktop apps and Windows do not have.
pub fn device_name() -> String {
    [whoami::devicename(), whoami::hostname()]
        .into_iter()
        .filter_map(Result::ok)
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "this computer".into())
}

/// The database file in the data folder `dir`.
pub fn database(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_folder_wins_and_an_empty_one_does_not() {
        let dir = data_dir(Some(Path::new("/tmp/profile-b"))).unwrap();
        assert_eq!(database(&dir), Path::new("/tmp/profile-b/channel-desk.db"));
        let default = data_dir(Some(Path::new(""))).unwrap();
        assert!(default.ends_with(APP_DIR), "{}", default.display());
    }

    #[test]
    fn the_default_is_the_local_data_folder() {
        let dir = data_dir(None).unwrap();
        assert_eq!(dir, dirs::data_local_dir().unwrap().join(APP_DIR));
        // On Linux the local and the roaming folder are one (XDG has no roaming profile).
        #[cfg(target_os = "linux")]
        assert_eq!(Some(dir), dirs::data_dir().map(|d| d.join(APP_DIR)));
    }
}
