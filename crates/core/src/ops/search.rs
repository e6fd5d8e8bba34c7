//! Search across partners, notes, business plans and next steps, as a person types it.

use crate::error::Result;
use crate::store::search::SearchHit;
use crate::store::Reader;

/// The most hits one search returns.
pub const MAX_HITS: usize = 50;

/// The best hits for what was typed (any text is safe: see [`crate::store::search`]).
pub fn search(reader: Reader<'_>, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
    reader.search(text, limit.clamp(1, MAX_HITS))
}
