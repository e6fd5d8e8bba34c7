//! Channel Desk core: the domain of partner business plans, enablement plans and R7 co-selling
//! notes; the rules that judge them; a local SQLite store whose every write also lands in the
//! sync outbox; full-text search; and CSV / Markdown / HTML import and export.
//!
//! No UI or network code lives here, so `cargo test -p cdesk-core` builds fast.

pub mod demo;
pub mod domain;
pub mod error;
pub mod io;
pub mod ops;
pub mod rules;
pub mod store;
pub mod sync;
pub mod time;

pub use error::{CoreError, Result};
