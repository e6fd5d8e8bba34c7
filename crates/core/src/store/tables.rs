//! Which table each record kind lives in and how its fields map to columns: defined once, in
//! `cdesk_domain::record`, with the kinds themselves.

pub use cdesk_domain::record::{Col, Entity, KINDS};
pub(crate) use cdesk_domain::with_kind;
