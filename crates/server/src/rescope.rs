//! When who-may-see-what changes: a partner gets a new owner or region, an account a new owner
//! or partner, a record is re-linked to another parent, a rep is assigned or unassigned.
//!
//! Two things must then happen, or pull would go wrong:
//! - records under the change whose scope columns are derived from it are recomputed, and
//!   everything whose visibility changed gets a new `seq`, so users who can now see it pull it
//!   (their cursor is past its old `seq`);
//! - users who could see a record and no longer can get a `scope_exits` row with a new `seq`,
//!   which pull sends them as a tombstone ("a record that left the user's scope").

use std::collections::{BTreeSet, HashSet};

use cdesk_protocol::Role;
use sqlx::Row;

use crate::db::{self, Tx};
use crate::error::ApiResult;
use crate::kinds::Kind;
use crate::records::{self, FactCache, Record, RootColumn};
use crate::scope::{self, Scope, Subject};

/// Kinds whose scope columns derive from a record of `kind`, and the field that links them.
fn children(kind: Kind) -> &'static [(Kind, &'static str)] {
    match kind {
        Kind::Account => &[
            (Kind::Opportunity, "account_id"),
            (Kind::CallNote, "account_id"),
        ],
        Kind::Opportunity => &[
            (Kind::CallNote, "opportunity_id"),
            (Kind::NextStep, "opportunity_id"),
        ],
        Kind::CallNote => &[(Kind::NextStep, "note_id")],
        _ => &[],
    }
}

/// One record whose visibility may have changed.
struct Moved {
    kind: Kind,
    id: String,
    before: Scope,
    after: Scope,
    seq: i64,
}

/// Whether replacing `old` by `new` may change who sees what ([`after_change`] does nothing
/// otherwise).
pub fn needed(old: &Record, new: &Record) -> bool {
    old.roots != new.roots && !old.deleted
}

/// Call after `old` was replaced by `new` (same record) in this transaction.
pub async fn after_change(
    tx: &mut Tx,
    facts: &mut FactCache,
    old: &Record,
    new: &Record,
) -> ApiResult<()> {
    if !needed(old, new) {
        return Ok(());
    }
    // Facts as they were: the changed record's own owner / region before the change.
    let mut old_facts = FactCache::default();
    match old.kind {
        Kind::Partner => old_facts.seed_partner(&old.id, &old.roots),
        Kind::Account => old_facts.seed_account(&old.id, &old.roots),
        _ => {}
    }
    facts.clear();

    let mut moved = vec![Moved {
        kind: new.kind,
        id: new.id.clone(),
        before: old_facts.scope(tx, old.kind, &old.roots).await?,
        after: facts.scope(tx, new.kind, &new.roots).await?,
        seq: new.seq,
    }];
    let mut seen: HashSet<(Kind, String)> = HashSet::from([(new.kind, new.id.clone())]);
    let mut restamp: Vec<(Record, records::Roots)> = Vec::new();

    // Everything under a partner or account whose owner / region changed.
    let under = match new.kind {
        Kind::Partner
            if old.roots.scope_owner != new.roots.scope_owner
                || old.roots.scope_region != new.roots.scope_region =>
        {
            records::load_under(tx, RootColumn::Partner, &new.id).await?
        }
        Kind::Account if old.roots.scope_owner != new.roots.scope_owner => {
            records::load_under(tx, RootColumn::Account, &new.id).await?
        }
        _ => Vec::new(),
    };
    for r in under {
        if seen.insert((r.kind, r.id.clone())) {
            let roots = r.roots.clone();
            restamp.push((r, roots));
        }
    }

    // Descendants whose derived roots change, level by level.
    let mut work = vec![new.clone()];
    while let Some(parent) = work.pop() {
        for (child_kind, field) in children(parent.kind) {
            for child in records::load_referencing(tx, *child_kind, field, &parent.id).await? {
                let roots = records::compute_roots(
                    tx,
                    &records::Known::default(),
                    child.kind,
                    &child.id,
                    &child.fields,
                    child.roots.author.clone(),
                )
                .await?;
                if roots == child.roots {
                    continue;
                }
                // Save the new roots now: grandchildren derive theirs from them.
                let mut updated = child.clone();
                updated.roots = roots.clone();
                records::save(tx, &updated).await?;
                work.push(updated);
                let key = (child.kind, child.id.clone());
                if seen.insert(key.clone()) {
                    restamp.push((child, roots));
                } else if let Some(entry) = restamp
                    .iter_mut()
                    .find(|(r, _)| (r.kind, &r.id) == (key.0, &key.1))
                {
                    entry.1 = roots;
                }
            }
        }
    }

    if !restamp.is_empty() {
        let first = db::next_seqs(tx, restamp.len() as i64).await?;
        restamp.sort_by_key(|(r, _)| r.seq);
        facts.clear();
        for (i, (r, roots)) in restamp.iter().enumerate() {
            moved.push(Moved {
                kind: r.kind,
                id: r.id.clone(),
                before: old_facts.scope(tx, r.kind, &r.roots).await?,
                after: facts.scope(tx, r.kind, roots).await?,
                seq: first + i as i64,
            });
        }
        save_stamps(tx, &moved[1..], &restamp).await?;
    }
    let users = subjects(tx).await?;
    let mut exits = Vec::new();
    for m in &moved {
        for u in &users {
            if scope::can_read(u, &m.before) && !scope::can_read(u, &m.after) {
                exits.push((u.user_id.clone(), m.kind, m.id.clone(), m.seq));
            }
        }
    }
    save_exits(tx, &exits).await
}

/// A rep was assigned to (`added`) or unassigned from a partner.
pub async fn assignment_changed(
    tx: &mut Tx,
    rep: &Subject,
    partner_id: &str,
    added: bool,
) -> ApiResult<()> {
    let under = records::load_under(tx, RootColumn::Partner, partner_id).await?;
    if under.is_empty() {
        return Ok(());
    }
    if added {
        // New seqs so the rep's next pull (whose cursor is past them) brings them.
        let first = db::next_seqs(tx, under.len() as i64).await?;
        let kinds: Vec<&str> = under.iter().map(|r| r.kind.name()).collect();
        let ids: Vec<&str> = under.iter().map(|r| r.id.as_str()).collect();
        let seqs: Vec<i64> = (0..under.len() as i64).map(|i| first + i).collect();
        sqlx::query(
            "UPDATE records r SET seq = u.seq
             FROM UNNEST($1::text[], $2::text[], $3::bigint[]) AS u(kind, id, seq)
             WHERE r.kind = u.kind AND r.id = u.id",
        )
        .bind(&kinds)
        .bind(&ids)
        .bind(&seqs)
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    let mut before = rep.clone();
    before.assigned.insert(partner_id.to_string());
    let mut after = rep.clone();
    after.assigned.remove(partner_id);
    let mut facts = FactCache::default();
    let mut lost = Vec::new();
    for r in &under {
        let s = facts.scope(tx, r.kind, &r.roots).await?;
        if scope::can_read(&before, &s) && !scope::can_read(&after, &s) {
            lost.push(r);
        }
    }
    if lost.is_empty() {
        return Ok(());
    }
    let first = db::next_seqs(tx, lost.len() as i64).await?;
    let exits: Vec<_> = lost
        .iter()
        .enumerate()
        .map(|(i, r)| (rep.user_id.clone(), r.kind, r.id.clone(), first + i as i64))
        .collect();
    save_exits(tx, &exits).await
}

async fn save_stamps(
    tx: &mut Tx,
    moved: &[Moved],
    restamp: &[(Record, records::Roots)],
) -> ApiResult<()> {
    let kinds: Vec<&str> = moved.iter().map(|m| m.kind.name()).collect();
    let ids: Vec<&str> = moved.iter().map(|m| m.id.as_str()).collect();
    let seqs: Vec<i64> = moved.iter().map(|m| m.seq).collect();
    let partners: Vec<Option<&str>> = restamp
        .iter()
        .map(|(_, r)| r.root_partner_id.as_deref())
        .collect();
    let accounts: Vec<Option<&str>> = restamp
        .iter()
        .map(|(_, r)| r.root_account_id.as_deref())
        .collect();
    sqlx::query(
        "UPDATE records r SET seq = u.seq, root_partner_id = u.rp, root_account_id = u.ra,
             updated_at = now()
         FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])
             AS u(kind, id, seq, rp, ra)
         WHERE r.kind = u.kind AND r.id = u.id",
    )
    .bind(&kinds)
    .bind(&ids)
    .bind(&seqs)
    .bind(&partners)
    .bind(&accounts)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn save_exits(tx: &mut Tx, exits: &[(String, Kind, String, i64)]) -> ApiResult<()> {
    if exits.is_empty() {
        return Ok(());
    }
    let users: Vec<&str> = exits.iter().map(|e| e.0.as_str()).collect();
    let kinds: Vec<&str> = exits.iter().map(|e| e.1.name()).collect();
    let ids: Vec<&str> = exits.iter().map(|e| e.2.as_str()).collect();
    let seqs: Vec<i64> = exits.iter().map(|e| e.3).collect();
    sqlx::query(
        "INSERT INTO scope_exits (user_id, kind, id, seq)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (user_id, kind, id) DO UPDATE SET seq = EXCLUDED.seq",
    )
    .bind(&users)
    .bind(&kinds)
    .bind(&ids)
    .bind(&seqs)
    .execute(&mut **tx)
    .await?;
    tracing::info!(count = exits.len(), "records left users' scope");
    Ok(())
}

/// Every enabled user who could lose sight of something (admins see everything).
async fn subjects(tx: &mut Tx) -> ApiResult<Vec<Subject>> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.role, u.region,
                COALESCE(array_agg(a.partner_id) FILTER (WHERE a.partner_id IS NOT NULL), '{}')
                    AS assigned
         FROM users u LEFT JOIN assignments a ON a.user_id = u.id
         WHERE NOT u.disabled AND u.role <> 'admin'
         GROUP BY u.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let role: String = row.try_get("role")?;
        let role = match role.as_str() {
            "cam" => Role::Cam,
            "rep" => Role::Rep,
            "manager" => Role::Manager,
            _ => continue,
        };
        let assigned: Vec<String> = row.try_get("assigned")?;
        out.push(Subject {
            user_id: row.try_get("id")?,
            email: row.try_get("email")?,
            role,
            region: row.try_get("region")?,
            assigned: assigned.into_iter().collect::<BTreeSet<_>>(),
        });
    }
    Ok(out)
}
