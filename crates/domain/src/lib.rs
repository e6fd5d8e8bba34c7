//! Channel Desk's records, defined once: the domain types with their validation
//! ([`domain`]), ids and times ([`time`]), and the record kinds as every side of sync knows them
//! ([`record`]): their fields, how the local store keeps them, their natural keys, and the one
//! check of whether a record can be stored. The local store (`cdesk-core`) and the server
//! (`cdesk-server`) both use it, so they cannot disagree about what a record is.

pub mod domain;
pub mod error;
pub mod record;
pub mod time;

pub use error::{DomainError, Result};
