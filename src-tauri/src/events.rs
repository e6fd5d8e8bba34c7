//! Events the shell sends the UI (typed in the generated bindings).

use serde::{Deserialize, Serialize};

/// A background sync attempt ended.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncFinished {
    /// The attempt's error, shown to the person; None on success.
    pub error: Option<String>,
    /// Records the pull brought in (the UI reloads what it shows when > 0).
    pub pulled: u32,
    /// Seconds until the next attempt.
    pub next_attempt_in_secs: u32,
}

/// Syncing started: the saved session was resumed (after the window was up: the keyring is
/// read off the main thread) or a sign-in started it. The UI shows the person signed in from
/// now on, not only once the first sync, which may be long, has finished.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncStarted {
    pub email: String,
}

/// Records changed behind the UI's back (a sync pulled them): reload what is on screen.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct DataChanged {
    pub pulled: u32,
}
