//! The outbox: local changes waiting to be pushed, in the order they were made.

use serde::Serialize;

use super::Reader;
use crate::error::Result;

/// One pending change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxEntry {
    /// Per-device, strictly increasing.
    pub mutation_id: i64,
    pub entity: String,
    pub entity_id: String,
    /// `upsert` or `delete`.
    pub op: String,
    /// The fields that changed (all fields for an insert; empty for a delete).
    pub patch: serde_json::Value,
    pub created_at: String,
}

impl Reader<'_> {
    /// Pending changes after `after` (a mutation id), oldest first, at most `limit`.
    pub fn outbox(&self, after: i64, limit: usize) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT mutation_id, entity, entity_id, op, patch, created_at FROM outbox
             WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?",
        )?;
        let rows = stmt.query_map((after, limit as i64), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mutation_id, entity, entity_id, op, patch, created_at) = row?;
            out.push(OutboxEntry {
                mutation_id,
                entity,
                entity_id,
                op,
                patch: serde_json::from_str(&patch)?,
                created_at,
            });
        }
        Ok(out)
    }

    /// How many changes wait to be pushed.
    pub fn outbox_len(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }
}
