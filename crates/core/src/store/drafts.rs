//! Drafts: text being typed, kept in the local table `drafts` so that nothing typed is lost to
//! a quit or a crash. Drafts belong to this device only: they are written straight to their
//! table, never through [`super::Writer`], so they never reach the outbox or the server.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{Reader, Store};
use crate::domain::validate;
use crate::error::{CoreError, Result};
use crate::time::Timestamp;

/// The longest draft key (keys name a form, e.g. `note:new` or `plan:<id>:goals`).
const MAX_KEY_CHARS: usize = 200;

/// A saved draft: an opaque body (the front end's form, as JSON) under a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    pub key: String,
    pub body: String,
    pub updated_at: Timestamp,
}

fn check_key(key: &str) -> Result<()> {
    if key.trim().is_empty() {
        return Err(CoreError::invalid("key", "must name the draft"));
    }
    Ok(validate::chars_at_most("key", key, MAX_KEY_CHARS)?)
}

impl Store {
    /// Saves (replaces) the draft under `key`. Not a change to sync: no outbox entry.
    pub fn save_draft(&mut self, key: &str, body: &str) -> Result<Draft> {
        check_key(key)?;
        validate::text("body", body)?;
        let draft = Draft {
            key: key.to_string(),
            body: body.to_string(),
            updated_at: Timestamp::now(),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO drafts (key, body, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (key) DO UPDATE SET body = excluded.body,
                                                 updated_at = excluded.updated_at",
            )?
            .execute((&draft.key, &draft.body, draft.updated_at.to_text()))?;
        Ok(draft)
    }

    /// Forgets the draft under `key` (after the record it drafted was saved); no-op if none.
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM drafts WHERE key = ?")?
            .execute([key])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The draft under `key`, if one was saved.
    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let row = self
            .conn
            .prepare_cached("SELECT key, body, updated_at FROM drafts WHERE key = ?")?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        row.map(|(key, body, at)| {
            Ok(Draft {
                key,
                body,
                updated_at: Timestamp::parse("updated_at", &at)?,
            })
        })
        .transpose()
    }

    /// Every saved draft, most recently typed first.
    pub fn drafts(&self) -> Result<Vec<Draft>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, body, updated_at FROM drafts ORDER BY updated_at DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, body, at) = row?;
            out.push(Draft {
                key,
                body,
                updated_at: Timestamp::parse("updated_at", &at)?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_reopening_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        {
            let mut store = Store::open(&path).unwrap();
            store.save_draft("note:new", r#"{"title":"Call"}"#).unwrap();
            store
                .save_draft("note:new", r#"{"title":"Call with Acme"}"#)
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let draft = store.read().draft("note:new").unwrap().expect("draft kept");
        assert_eq!(
            draft.body, r#"{"title":"Call with Acme"}"#,
            "the last save wins"
        );
    }

    #[test]
    fn drafts_never_reach_the_outbox() {
        let mut store = Store::open_in_memory().unwrap();
        let before = store.read().outbox_len().unwrap();
        store.save_draft("note:new", "typing").unwrap();
        store.discard_draft("note:new").unwrap();
        assert_eq!(
            store.read().outbox_len().unwrap(),
            before,
            "drafts are local only"
        );
        assert!(
            store.read().draft("note:new").unwrap().is_none(),
            "discarded"
        );
    }

    #[test]
    fn a_draft_needs_a_key() {
        let mut store = Store::open_in_memory().unwrap();
        let err = store.save_draft("  ", "x").unwrap_err();
        assert_eq!(err.code(), "invalid", "{err}");
    }
}
