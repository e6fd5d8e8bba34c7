//! Channel Desk core: the domain of partner business plans, enablement plans and R7 co-selling
//! notes; the rules that judge them; a local SQLite store whose every write also lands in the
//! sync outbox; full-text search; and CSV / Markdown / HTML import and export.
//!
//! No UI or network code lives here, so `cargo test -p cdesk-core` builds fast.

pub mod demo;
pub mod error;
pub mod io;
pub mod ops;
pub mod rules;
pub mod store;
pub mod sync;

/// The records and their rules are defined once, in `cdesk-domain`, for the store and the
/// server alike.
pub use cdesk_domain::{domain, record, time};
pub use error::{CoreError, Result};
