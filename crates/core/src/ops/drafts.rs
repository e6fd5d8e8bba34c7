//! Drafts of what a person is typing, saved as they type and restored on the next start.
//! Local to this device (see [`crate::store::Draft`]): never synced.

use crate::error::Result;
use crate::store::{Draft, Reader, Store};

/// Saves the draft under `key` (the front end's form as JSON), replacing any earlier one.
pub fn save_draft(store: &mut Store, key: &str, body: &str) -> Result<Draft> {
    store.save_draft(key, body)
}

/// The draft under `key`, if any.
pub fn draft(reader: Reader<'_>, key: &str) -> Result<Option<Draft>> {
    reader.draft(key)
}

/// Every draft, most recent first: what was being typed when the app last stopped.
pub fn drafts(reader: Reader<'_>) -> Result<Vec<Draft>> {
    reader.drafts()
}

/// Forgets a draft once what it drafted is saved.
pub fn discard_draft(store: &mut Store, key: &str) -> Result<()> {
    store.discard_draft(key)
}
