//! The commands the UI calls, one module per area. Each is a thin edge over a use case of
//! `cdesk_core::ops`: it runs the use case off the async threads and turns its error into
//! [`crate::error::AppError`]. No business rule lives here.

pub mod app;
pub mod backups;
pub mod drafts;
pub mod enablement;
pub mod export;
pub mod import;
pub mod nfr;
pub mod notes;
pub mod partners;
pub mod plans;
pub mod review;
pub mod rules;
pub mod search;
pub mod selling;
pub mod sync;
pub mod today;

use tauri::State;

use crate::state::AppState;

/// The state type every command receives.
pub type St<'a> = State<'a, AppState>;
