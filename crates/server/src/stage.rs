//! What one push transaction has read and written of `records`, so that a batch costs a few
//! statements instead of three round trips per mutation (load and lock the record, take a
//! `seq`, save it): 500 new notes took 250 ms that way (docs/sync-benchmarks.md).
//!
//! - [`Stage::begin`] locks the sequence counter and loads (and locks) every record the batch
//!   names, in one query each.
//! - [`Stage::next_seq`] numbers changes from the locked counter, in memory.
//! - [`Stage::save`] keeps the new state; [`Stage::flush`] writes every row saved since the last
//!   flush in one statement, and the counter.
//!
//! The database is behind the stage until a flush. Reads that go through [`Stage::load`] and
//! [`Stage::known`] (record loads, parent roots, partner and account facts) see the staged
//! state; anything else that reads `records` or the counter on its own — rescoping, the
//! commit — must come after [`Stage::flush`], and [`Stage::forget`] must follow whatever changed
//! records behind the stage's back.

use std::collections::HashSet;

use crate::db::{self, Tx};
use crate::error::ApiResult;
use crate::kinds::Kind;
use crate::records::{self, Known, Record};

#[derive(Debug, Default)]
pub struct Stage {
    known: Known,
    /// Saved since the last flush, in first-save order.
    unsaved: Vec<(Kind, String)>,
    unsaved_set: HashSet<(Kind, String)>,
    /// The last number handed out, and the one the counter row holds.
    seq: i64,
    stored_seq: i64,
}

impl Stage {
    /// Locks the counter, and loads and locks the records named by `keys`.
    pub async fn begin(tx: &mut Tx, keys: &[(Kind, &str)]) -> ApiResult<Stage> {
        let seq = db::lock_seq(tx).await?;
        let mut known = Known::with_capacity(keys.len());
        for (kind, id) in keys {
            known.insert((*kind, (*id).to_string()), None);
        }
        for record in records::load_many_for_update(tx, keys).await? {
            known.insert((record.kind, record.id.clone()), Some(record));
        }
        Ok(Stage {
            known,
            seq,
            stored_seq: seq,
            ..Stage::default()
        })
    }

    /// What the stage holds: every record it loaded or saved (`None`: does not exist).
    pub fn known(&self) -> &Known {
        &self.known
    }

    /// A record's current state, locked: from the stage, or else loaded from the table.
    pub async fn load(&mut self, tx: &mut Tx, kind: Kind, id: &str) -> ApiResult<Option<Record>> {
        let key = (kind, id.to_string());
        if let Some(state) = self.known.get(&key) {
            return Ok(state.clone());
        }
        let state = records::load_for_update(tx, kind, id).await?;
        self.known.insert(key, state.clone());
        Ok(state)
    }

    /// The next number of the global sequence (written to the counter at the next flush).
    pub fn next_seq(&mut self) -> i64 {
        self.seq += 1;
        self.seq
    }

    /// Keeps `record` as its new state, to be written at the next flush.
    pub fn save(&mut self, record: Record) -> &Record {
        let key = (record.kind, record.id.clone());
        if self.unsaved_set.insert(key.clone()) {
            self.unsaved.push(key.clone());
        }
        let state = self.known.entry(key).or_default();
        state.insert(record)
    }

    /// Writes what was saved since the last flush, and the counter.
    pub async fn flush(&mut self, tx: &mut Tx) -> ApiResult<()> {
        if !self.unsaved.is_empty() {
            let rows: Vec<&Record> = self
                .unsaved
                .iter()
                .filter_map(|key| self.known.get(key).and_then(Option::as_ref))
                .collect();
            records::save_many(tx, &rows).await?;
            self.unsaved.clear();
            self.unsaved_set.clear();
        }
        if self.seq != self.stored_seq {
            db::store_seq(tx, self.seq).await?;
            self.stored_seq = self.seq;
        }
        Ok(())
    }

    /// After something changed records or took numbers itself (rescoping, which must come after
    /// a flush): forgets what the stage knew and reads the counter again.
    pub async fn forget(&mut self, tx: &mut Tx) -> ApiResult<()> {
        self.flush(tx).await?;
        self.known.clear();
        self.seq = db::lock_seq(tx).await?;
        self.stored_seq = self.seq;
        Ok(())
    }
}
