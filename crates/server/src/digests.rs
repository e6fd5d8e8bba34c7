//! What each device's mutation ids carried, so that a duplicate proves it is one.
//!
//! A push's mutation ids at or below the device's last processed id are answered `duplicate`
//! (exactly once). That is right for a retried push, which sends the same outbox rows again;
//! it is wrong for a database restored from a backup or copied to another machine, which reuses
//! those ids for new changes. The server keeps a digest of every processed mutation and refuses
//! a reused id with other content (`diverged`): the client then continues as a new device.

use std::collections::HashMap;

use cdesk_protocol::{Mutation, Op};
use sha2::{Digest, Sha256};

use crate::db::Tx;
use crate::error::ApiResult;

/// A digest of what a mutation carries (its id excluded). Serializing the same outbox row gives
/// the same bytes: the patch and base versions are maps with sorted keys.
pub fn of(m: &Mutation) -> Vec<u8> {
    let op = match m.op {
        Op::Upsert => "upsert",
        Op::Delete => "delete",
    };
    let mut hasher = Sha256::new();
    for part in [m.entity.as_str(), m.entity_id.as_str(), op] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    // Writing JSON to a hasher cannot fail.
    let body = serde_json::to_vec(&(&m.patch, &m.base_versions)).unwrap_or_default();
    hasher.update(body);
    hasher.finalize()[..16].to_vec()
}

/// The first of `duplicates` (mutations this device already had processed, in id order) whose
/// content differs from what was processed under its id. Ids processed before digests were kept
/// have none, and pass.
pub async fn first_diverging(
    tx: &mut Tx,
    device_id: &str,
    duplicates: &[&Mutation],
) -> ApiResult<Option<i64>> {
    if duplicates.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = duplicates.iter().map(|m| m.mutation_id).collect();
    let stored: HashMap<i64, Vec<u8>> = sqlx::query_as(
        "SELECT mutation_id, digest FROM mutation_digests
         WHERE device_id = $1 AND mutation_id = ANY($2)",
    )
    .bind(device_id)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    Ok(duplicates
        .iter()
        .find(|m| stored.get(&m.mutation_id).is_some_and(|d| *d != of(m)))
        .map(|m| m.mutation_id))
}

/// The digests of the mutations one push processed, written in one statement before it commits.
#[derive(Debug, Default)]
pub struct Processed {
    ids: Vec<i64>,
    digests: Vec<Vec<u8>>,
}

impl Processed {
    pub fn note(&mut self, m: &Mutation) {
        self.ids.push(m.mutation_id);
        self.digests.push(of(m));
    }

    pub async fn write(&mut self, tx: &mut Tx, device_id: &str) -> ApiResult<()> {
        if self.ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO mutation_digests (device_id, mutation_id, digest)
             SELECT $1, m, d FROM unnest($2::int8[], $3::bytea[]) AS t(m, d)
             ON CONFLICT (device_id, mutation_id) DO UPDATE SET digest = excluded.digest",
        )
        .bind(device_id)
        .bind(std::mem::take(&mut self.ids))
        .bind(std::mem::take(&mut self.digests))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn note(id: i64, title: &str) -> Mutation {
        Mutation {
            mutation_id: id,
            entity: "call_note".into(),
            entity_id: "n1".into(),
            op: Op::Upsert,
            patch: json!({"title": title, "body": "b"})
                .as_object()
                .cloned()
                .unwrap(),
            base_versions: Default::default(),
        }
    }

    #[test]
    fn the_same_change_has_the_same_digest_whatever_its_id() {
        assert_eq!(of(&note(1, "a")), of(&note(7, "a")));
    }

    #[test]
    fn any_difference_in_content_changes_the_digest() {
        let base = note(1, "a");
        assert_ne!(of(&base), of(&note(1, "b")), "a field value");
        let other_record = Mutation {
            entity_id: "n2".into(),
            ..base.clone()
        };
        assert_ne!(of(&base), of(&other_record), "the record id");
        let delete = Mutation {
            op: Op::Delete,
            ..base.clone()
        };
        assert_ne!(of(&base), of(&delete), "the operation");
        let mut rebased = base.clone();
        rebased.base_versions.insert("title".into(), 4);
        assert_ne!(of(&base), of(&rebased), "the base versions");
        // Lengths are part of the digest: moving a character between parts is a difference.
        let a = Mutation {
            entity: "call_notex".into(),
            entity_id: "1".into(),
            ..base.clone()
        };
        let b = Mutation {
            entity: "call_note".into(),
            entity_id: "x1".into(),
            ..base
        };
        assert_ne!(of(&a), of(&b));
    }
}
