//! The use cases ("verbs") of Channel Desk, shared by the `cdesk` command line and the desktop
//! shell so that neither holds business logic.
//!
//! How to use them:
//! - A write takes `&mut Store` and one plain input struct, runs in **one** [`Store::write`]
//!   transaction and returns the saved domain record. It does everything (rows and their
//!   outbox entries) or, on any error, nothing.
//! - A read takes a [`Reader`] and returns domain types or small view structs (`Serialize`).
//! - Input fields a person types — dates, amounts, enum values — are text and are parsed here,
//!   so every front end shows the same messages, each naming its field
//!   (`due_on: "2026-02-30" is not a valid date …`). Enum values accept a code or a label.
//! - Records are named by id or by name (`partner: "Acme"`); they are resolved here.
//! - Input structs are `Serialize + Deserialize` with `#[serde(default)]`, so the desktop
//!   passes them over IPC as JSON objects that only carry the fields it sets.
//!
//! [`Store::write`]: crate::store::Store::write
//! [`Reader`]: crate::store::Reader

pub mod accounts;
pub mod actuals;
pub mod audience;
pub mod awards;
pub mod calendar;
pub mod curriculum;
pub mod drafts;
pub mod enablement;
mod input;
pub mod next_steps;
pub mod nfr;
pub mod notes;
pub mod partner_views;
pub mod partners;
pub mod phd;
pub mod plans;
mod resolve;
pub mod review;
pub mod rollup;
pub mod rules;
pub mod search;
pub mod today;
pub mod today_digest;

pub use accounts::*;
pub use actuals::*;
pub use audience::{Audience, Scope};
pub use calendar::*;
pub use curriculum::*;
pub use drafts::*;
pub use enablement::*;
pub use next_steps::*;
pub use nfr::*;
pub use notes::*;
pub use partner_views::*;
pub use partners::*;
pub use phd::*;
pub use plans::*;
pub use review::*;
pub use rollup::*;
pub use rules::*;
pub use search::*;
pub use today::*;
pub use today_digest::*;
