//! When who-may-see-what changes: a partner gets a new owner or region, an account a new owner
//! or partner, a record is re-linked to another parent, a rep is assigned or unassigned.
//!
//! Two things must then happen, or pull would go wrong:
//! - records under the change whose scope columns are derived from it are recomputed, and
//!   everything whose visibility changed gets a new `seq`, so users who can now see it pull it
//!   (their cursor is past its old `seq`);
//! - users who could see a record and no longer can get a `scope_exits` row with a new `seq`,
//!   which pull sends them as a tombstone ("a record that left the user's scope").

use std::collections::{BTreeSet, HashMap, HashSet};

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

/// A record to renumber: its visibility columns before and after. Only these columns are read,
/// never the record's fields, so a partner with thousands of long notes costs one narrow scan.
struct Stamp {
    kind: Kind,
    id: String,
    seq: i64,
    before: records::Roots,
    after: records::Roots,
}

/// The records under a partner or account whose owner or region changed, locked, oldest change
/// first.
async fn load_under(tx: &mut Tx, root: RootColumn, id: &str) -> ApiResult<Vec<Stamp>> {
    let sql = match root {
        RootColumn::Partner => {
            "SELECT kind, id, seq, root_partner_id, root_account_id, author, scope_owner,
                    scope_region
             FROM records WHERE root_partner_id = $1 ORDER BY seq FOR UPDATE"
        }
        RootColumn::Account => {
            "SELECT kind, id, seq, root_partner_id, root_account_id, author, scope_owner,
                    scope_region
             FROM records WHERE root_account_id = $1 ORDER BY seq FOR UPDATE"
        }
    };
    let rows = sqlx::query(sql).bind(id).fetch_all(&mut **tx).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("kind")?;
        let Some(kind) = Kind::parse(&kind) else {
            continue;
        };
        let roots = records::Roots {
            root_partner_id: row.try_get("root_partner_id")?,
            root_account_id: row.try_get("root_account_id")?,
            author: row.try_get("author")?,
            scope_owner: row.try_get("scope_owner")?,
            scope_region: row.try_get("scope_region")?,
        };
        out.push(Stamp {
            kind,
            id: row.try_get("id")?,
            seq: row.try_get("seq")?,
            before: roots.clone(),
            after: roots,
        });
    }
    Ok(out)
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
    let mut restamp: Vec<Stamp> = Vec::new();

    // Everything under a partner or account whose owner / region changed.
    let under = match new.kind {
        Kind::Partner
            if old.roots.scope_owner != new.roots.scope_owner
                || old.roots.scope_region != new.roots.scope_region =>
        {
            load_under(tx, RootColumn::Partner, &new.id).await?
        }
        Kind::Account if old.roots.scope_owner != new.roots.scope_owner => {
            load_under(tx, RootColumn::Account, &new.id).await?
        }
        _ => Vec::new(),
    };
    for r in under {
        if seen.insert((r.kind, r.id.clone())) {
            restamp.push(r);
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
                    restamp.push(Stamp {
                        kind: child.kind,
                        id: child.id,
                        seq: child.seq,
                        before: child.roots,
                        after: roots,
                    });
                } else if let Some(entry) = restamp
                    .iter_mut()
                    .find(|r| (r.kind, &r.id) == (key.0, &key.1))
                {
                    entry.after = roots;
                }
            }
        }
    }

    if !restamp.is_empty() {
        // One block of numbers for all, in the order of their old numbers, saved in one
        // statement.
        let first = db::next_seqs(tx, restamp.len() as i64).await?;
        restamp.sort_by_key(|r| r.seq);
        facts.clear();
        for (i, r) in restamp.iter().enumerate() {
            moved.push(Moved {
                kind: r.kind,
                id: r.id.clone(),
                before: old_facts.scope(tx, r.kind, &r.before).await?,
                after: facts.scope(tx, r.kind, &r.after).await?,
                seq: first + i as i64,
            });
        }
        save_stamps(tx, &moved[1..], &restamp).await?;
    }
    let users = subjects(tx).await?;
    save_exits(tx, &exits(&moved, &users)).await
}

/// Who lost sight of which moved record. Records under one partner share a handful of
/// (before, after) scopes (kinds, authors, accounts), so each user is checked once per distinct
/// pair rather than once per record: distinct pairs × users + records, not records × users,
/// while the transaction holds the sequence counter.
fn exits(moved: &[Moved], users: &[Subject]) -> Vec<(String, Kind, String, i64)> {
    let mut out = Vec::new();
    for ((before, after), records) in by_scopes(moved) {
        for u in users {
            if scope::can_read(u, before) && !scope::can_read(u, after) {
                out.extend(
                    records
                        .iter()
                        .map(|m| (u.user_id.clone(), m.kind, m.id.clone(), m.seq)),
                );
            }
        }
    }
    out
}

/// The moved records grouped by their (before, after) scopes.
fn by_scopes(moved: &[Moved]) -> HashMap<(&Scope, &Scope), Vec<&Moved>> {
    let mut groups: HashMap<(&Scope, &Scope), Vec<&Moved>> = HashMap::new();
    for m in moved {
        groups.entry((&m.before, &m.after)).or_default().push(m);
    }
    groups
}

/// A rep was assigned to (`added`) or unassigned from a partner.
pub async fn assignment_changed(
    tx: &mut Tx,
    rep: &Subject,
    partner_id: &str,
    added: bool,
) -> ApiResult<()> {
    let under = load_under(tx, RootColumn::Partner, partner_id).await?;
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
        let s = facts.scope(tx, r.kind, &r.before).await?;
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

async fn save_stamps(tx: &mut Tx, moved: &[Moved], restamp: &[Stamp]) -> ApiResult<()> {
    let kinds: Vec<&str> = moved.iter().map(|m| m.kind.name()).collect();
    let ids: Vec<&str> = moved.iter().map(|m| m.id.as_str()).collect();
    let seqs: Vec<i64> = moved.iter().map(|m| m.seq).collect();
    let partners: Vec<Option<&str>> = restamp
        .iter()
        .map(|r| r.after.root_partner_id.as_deref())
        .collect();
    let accounts: Vec<Option<&str>> = restamp
        .iter()
        .map(|r| r.after.root_account_id.as_deref())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(kind: Kind, owner: &str, author: Option<&str>) -> Scope {
        Scope {
            kind,
            author: author.map(str::to_string),
            root_partner_id: Some("p".into()),
            root_account_id: None,
            partner_owner: Some(owner.into()),
            partner_region: Some("emea".into()),
            account_owner: None,
        }
    }

    fn subject(email: &str, role: Role, region: Option<&str>) -> Subject {
        Subject {
            user_id: email.into(),
            email: email.into(),
            role,
            region: region.map(str::to_string),
            assigned: BTreeSet::new(),
        }
    }

    #[test]
    fn a_partner_handover_is_checked_per_distinct_scope_not_per_record() {
        // 9,000 records under one partner handed from a@ to b@: people, plans, and notes by
        // three authors.
        let mut moved = Vec::new();
        for i in 0..9000i64 {
            let (kind, author) = match i % 5 {
                0 => (Kind::Person, None),
                1 => (Kind::BusinessPlan, None),
                n => (
                    Kind::CallNote,
                    Some(["a@x.io", "c@x.io", "d@x.io"][n as usize - 2]),
                ),
            };
            moved.push(Moved {
                kind,
                id: format!("r{i}"),
                before: scope(kind, "a@x.io", author),
                after: scope(kind, "b@x.io", author),
                seq: 100 + i,
            });
        }
        assert_eq!(by_scopes(&moved).len(), 5, "5 checks per user, not 9,000");

        let users = [
            subject("a@x.io", Role::Cam, None),
            subject("b@x.io", Role::Cam, None),
            subject("boss@x.io", Role::Manager, Some("emea")),
        ];
        let mut got = exits(&moved, &users);
        got.sort_by_key(|e| e.3);
        // The same answer as checking every user against every record.
        let mut naive = Vec::new();
        for m in &moved {
            for u in &users {
                if scope::can_read(u, &m.before) && !scope::can_read(u, &m.after) {
                    naive.push((u.user_id.clone(), m.kind, m.id.clone(), m.seq));
                }
            }
        }
        assert_eq!(got, naive);
        // a@ loses all but the notes they wrote; nobody else loses anything.
        assert_eq!(got.len(), 9000 - 1800);
        assert!(got.iter().all(|e| e.0 == "a@x.io"));
    }
}
