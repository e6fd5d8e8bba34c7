//! The `records` table: one row per synced record, its fields as JSON, per-field versions and
//! writers, and the scope columns computed at write time from the record and its parents.
//!
//! Writers are stored compactly: the writer most fields share goes in the `writer` column and
//! `field_writers` keeps only the others ([`stored_writers`]); loading puts them back together
//! ([`loaded_writers`]), so a [`Record`] always has a writer per field that has a version.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};
use sqlx::Row;

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;
use crate::scope::{normalize_email, Scope};

/// The columns that decide who sees a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roots {
    pub root_partner_id: Option<String>,
    pub root_account_id: Option<String>,
    pub author: Option<String>,
    /// A partner's owner (CAM) or an account's owner (rep), normalized.
    pub scope_owner: Option<String>,
    /// A partner's region.
    pub scope_region: Option<String>,
}

/// Records a transaction already holds, by kind and id: read (and locked) or written by it,
/// perhaps not saved yet (see [`crate::stage`]). `None`: the record does not exist.
pub type Known = HashMap<(Kind, String), Option<Record>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: Kind,
    pub id: String,
    pub fields: Map<String, Value>,
    pub field_versions: BTreeMap<String, i64>,
    pub field_writers: BTreeMap<String, String>,
    pub seq: i64,
    pub deleted: bool,
    pub roots: Roots,
}

const COLUMNS: &str = "kind, id, fields, field_versions, field_writers, writer, seq, deleted, \
     root_partner_id, root_account_id, author, scope_owner, scope_region";

fn from_row(row: &sqlx::postgres::PgRow) -> ApiResult<Record> {
    let kind: String = row.try_get("kind")?;
    let kind = Kind::parse(&kind)
        .ok_or_else(|| ApiError::Internal(format!("unknown kind {kind} in records")))?;
    let json = |col: &str| -> ApiResult<Value> { Ok(row.try_get::<Value, _>(col)?) };
    let decode = |e: serde_json::Error| ApiError::Internal(format!("bad record JSON: {e}"));
    let field_versions: BTreeMap<String, i64> =
        serde_json::from_value(json("field_versions")?).map_err(decode)?;
    let stored: BTreeMap<String, String> =
        serde_json::from_value(json("field_writers")?).map_err(decode)?;
    let field_writers = loaded_writers(&field_versions, stored, row.try_get("writer")?);
    Ok(Record {
        kind,
        id: row.try_get("id")?,
        fields: serde_json::from_value(json("fields")?).map_err(decode)?,
        field_versions,
        field_writers,
        seq: row.try_get("seq")?,
        deleted: row.try_get("deleted")?,
        roots: Roots {
            root_partner_id: row.try_get("root_partner_id")?,
            root_account_id: row.try_get("root_account_id")?,
            author: row.try_get("author")?,
            scope_owner: row.try_get("scope_owner")?,
            scope_region: row.try_get("scope_region")?,
        },
    })
}

/// Loads one record and locks it for the rest of the transaction.
pub async fn load_for_update(tx: &mut Tx, kind: Kind, id: &str) -> ApiResult<Option<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM records WHERE kind = $1 AND id = $2 FOR UPDATE");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(kind.name())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Loads the records with these kinds and ids that exist, locked, in one query.
pub async fn load_many_for_update(tx: &mut Tx, keys: &[(Kind, &str)]) -> ApiResult<Vec<Record>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let kinds: Vec<&str> = keys.iter().map(|(k, _)| k.name()).collect();
    let ids: Vec<&str> = keys.iter().map(|(_, id)| *id).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM records
         WHERE (kind, id) IN (SELECT * FROM UNNEST($1::text[], $2::text[])) FOR UPDATE"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&kinds)
        .bind(&ids)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Loads the records of `kind` whose `field` holds `value`, locked. Kind and field are written
/// into the SQL (they come from a fixed table) so the expression indexes on the link fields apply.
pub async fn load_referencing(
    tx: &mut Tx,
    kind: Kind,
    field: &'static str,
    value: &str,
) -> ApiResult<Vec<Record>> {
    if !kind.has_field(field) {
        return Err(ApiError::Internal(format!(
            "{} has no field {field}",
            kind.name()
        )));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM records WHERE kind = '{}' AND fields->>'{field}' = $1
         ORDER BY seq FOR UPDATE",
        kind.name()
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(from_row).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootColumn {
    Partner,
    Account,
}

/// Writes the whole row (insert or replace).
pub async fn save(tx: &mut Tx, r: &Record) -> ApiResult<()> {
    save_many(tx, &[r]).await
}

/// Writes whole rows (insert or replace) in one statement. At most one row per record.
pub async fn save_many(tx: &mut Tx, records: &[&Record]) -> ApiResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    let kinds: Vec<&str> = records.iter().map(|r| r.kind.name()).collect();
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let mut fields = Vec::with_capacity(records.len());
    let mut versions = Vec::with_capacity(records.len());
    let mut writers = Vec::with_capacity(records.len());
    let mut writer = Vec::with_capacity(records.len());
    for r in records {
        let (main, others) = stored_writers(&r.field_writers);
        fields.push(json_text(&r.fields)?);
        versions.push(json_text(&r.field_versions)?);
        writers.push(json_text(&others)?);
        writer.push(main);
    }
    let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
    let deleted: Vec<bool> = records.iter().map(|r| r.deleted).collect();
    let column = |f: fn(&Roots) -> &Option<String>| -> Vec<Option<&str>> {
        records.iter().map(|r| f(&r.roots).as_deref()).collect()
    };
    sqlx::query(
        "INSERT INTO records (kind, id, fields, field_versions, field_writers, writer, seq,
             deleted, root_partner_id, root_account_id, author, scope_owner, scope_region)
         SELECT kind, id, fields::jsonb, versions::jsonb, writers::jsonb, writer, seq, deleted,
             root_partner_id, root_account_id, author, scope_owner, scope_region
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
             $7::bigint[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::text[],
             $13::text[])
             AS u(kind, id, fields, versions, writers, writer, seq, deleted, root_partner_id,
                 root_account_id, author, scope_owner, scope_region)
         ON CONFLICT (kind, id) DO UPDATE SET
             fields = EXCLUDED.fields, field_versions = EXCLUDED.field_versions,
             field_writers = EXCLUDED.field_writers, writer = EXCLUDED.writer,
             seq = EXCLUDED.seq,
             deleted = EXCLUDED.deleted, root_partner_id = EXCLUDED.root_partner_id,
             root_account_id = EXCLUDED.root_account_id, author = EXCLUDED.author,
             scope_owner = EXCLUDED.scope_owner, scope_region = EXCLUDED.scope_region,
             updated_at = now()",
    )
    .bind(&kinds)
    .bind(&ids)
    .bind(&fields)
    .bind(&versions)
    .bind(&writers)
    .bind(&writer)
    .bind(&seqs)
    .bind(&deleted)
    .bind(column(|r| &r.root_partner_id))
    .bind(column(|r| &r.root_account_id))
    .bind(column(|r| &r.author))
    .bind(column(|r| &r.scope_owner))
    .bind(column(|r| &r.scope_region))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn json_text(value: &impl serde::Serialize) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(format!("record JSON: {e}")))
}

/// How a record's writers are stored: the writer most of its fields share (ties: the first in
/// name order), and the fields someone else wrote. `None` when no field has a writer.
fn stored_writers(writers: &BTreeMap<String, String>) -> (Option<&str>, BTreeMap<&str, &str>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for writer in writers.values() {
        *counts.entry(writer).or_default() += 1;
    }
    let main = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(writer, _)| *writer);
    let others = writers
        .iter()
        .filter(|(_, w)| Some(w.as_str()) != main)
        .map(|(f, w)| (f.as_str(), w.as_str()))
        .collect();
    (main, others)
}

/// The inverse of [`stored_writers`]: every versioned field the map leaves out was written by
/// `writer`. (Every write sets a field's version and writer together, so the fields with a
/// version are exactly the fields with a writer.)
fn loaded_writers(
    versions: &BTreeMap<String, i64>,
    mut stored: BTreeMap<String, String>,
    writer: Option<String>,
) -> BTreeMap<String, String> {
    if let Some(writer) = writer {
        for field in versions.keys() {
            if !stored.contains_key(field) {
                stored.insert(field.clone(), writer.clone());
            }
        }
    }
    stored
}

/// A text field's value: `None` when absent, null or blank.
pub fn text_field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

async fn parent_roots(
    tx: &mut Tx,
    known: &Known,
    kind: Kind,
    id: Option<&str>,
) -> ApiResult<Roots> {
    let Some(id) = id else {
        return Ok(Roots::default());
    };
    if let Some(state) = known.get(&(kind, id.to_string())) {
        return Ok(state.as_ref().map_or_else(Roots::default, |r| Roots {
            root_partner_id: r.roots.root_partner_id.clone(),
            root_account_id: r.roots.root_account_id.clone(),
            ..Roots::default()
        }));
    }
    let row = sqlx::query(
        "SELECT root_partner_id, root_account_id FROM records WHERE kind = $1 AND id = $2",
    )
    .bind(kind.name())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some(row) => Roots {
            root_partner_id: row.try_get("root_partner_id")?,
            root_account_id: row.try_get("root_account_id")?,
            ..Roots::default()
        },
        None => Roots::default(),
    })
}

/// Computes a record's scope columns from its fields and its parents' (as `known` has them, or
/// else as stored now): next_step -> call_note / opportunity -> account -> partner. `author` is
/// the recorded author of a next step (its creator); a call note's author is its `author` field.
pub async fn compute_roots(
    tx: &mut Tx,
    known: &Known,
    kind: Kind,
    id: &str,
    fields: &Map<String, Value>,
    author: Option<String>,
) -> ApiResult<Roots> {
    let f = |name: &str| text_field(fields, name);
    Ok(match kind {
        Kind::Partner => Roots {
            root_partner_id: Some(id.to_string()),
            scope_owner: f("owner").map(|o| normalize_email(&o)),
            scope_region: f("region").map(|r| r.to_lowercase()),
            ..Roots::default()
        },
        Kind::Person | Kind::EnablementItem | Kind::BusinessPlan | Kind::NfrRequest => Roots {
            root_partner_id: f("partner_id"),
            ..Roots::default()
        },
        Kind::Account => Roots {
            root_partner_id: f("partner_id"),
            root_account_id: Some(id.to_string()),
            scope_owner: f("owner").map(|o| normalize_email(&o)),
            ..Roots::default()
        },
        Kind::Opportunity => {
            let account =
                parent_roots(tx, known, Kind::Account, f("account_id").as_deref()).await?;
            Roots {
                root_partner_id: account
                    .root_partner_id
                    .or_else(|| f("registered_partner_id")),
                root_account_id: f("account_id"),
                ..Roots::default()
            }
        }
        Kind::CallNote => {
            let account =
                parent_roots(tx, known, Kind::Account, f("account_id").as_deref()).await?;
            let opp =
                parent_roots(tx, known, Kind::Opportunity, f("opportunity_id").as_deref()).await?;
            Roots {
                root_partner_id: f("partner_id")
                    .or(account.root_partner_id)
                    .or(opp.root_partner_id),
                root_account_id: f("account_id").or(opp.root_account_id),
                author: f("author").map(|a| normalize_email(&a)),
                ..Roots::default()
            }
        }
        Kind::NextStep => {
            let note = parent_roots(tx, known, Kind::CallNote, f("note_id").as_deref()).await?;
            let opp =
                parent_roots(tx, known, Kind::Opportunity, f("opportunity_id").as_deref()).await?;
            Roots {
                root_partner_id: f("partner_id")
                    .or(note.root_partner_id)
                    .or(opp.root_partner_id),
                root_account_id: opp.root_account_id.or(note.root_account_id),
                author,
                ..Roots::default()
            }
        }
        _ => Roots::default(),
    })
}

/// The partners and accounts a record names, each as a scope of its own: the partners in its
/// own fields (`partner_id`, `registered_partner_id`, `incumbent_partner_id`), and its account (in `account_id`, or
/// through its parent) with that account's own partner. Naming one must not borrow access from
/// another, as a rep's own account did for a partner the rep does not work on. A partner or
/// account is not among its own named roots.
pub async fn named_roots(
    tx: &mut Tx,
    known: &Known,
    facts: &mut FactCache,
    kind: Kind,
    fields: &Map<String, Value>,
    roots: &Roots,
) -> ApiResult<Vec<Scope>> {
    let f = |name: &str| text_field(fields, name);
    let mut partners: Vec<String> = Vec::new();
    let mut accounts: Vec<String> = Vec::new();
    if kind != Kind::Partner {
        for p in [
            f("partner_id"),
            f("registered_partner_id"),
            f("incumbent_partner_id"),
        ]
        .into_iter()
        .flatten()
        {
            if !partners.contains(&p) {
                partners.push(p);
            }
        }
    }
    if kind != Kind::Account {
        for a in [roots.root_account_id.clone(), f("account_id")]
            .into_iter()
            .flatten()
        {
            if !accounts.contains(&a) {
                accounts.push(a);
            }
        }
    }
    // Partners and accounts this push wrote are in `known`, not yet in the table.
    for (kind, id) in partners
        .iter()
        .map(|p| (Kind::Partner, p))
        .chain(accounts.iter().map(|a| (Kind::Account, a)))
    {
        if let Some(state) = known.get(&(kind, id.clone())) {
            let roots = state.as_ref().map(|r| r.roots.clone()).unwrap_or_default();
            match kind {
                Kind::Partner => facts.seed_partner(id, &roots),
                _ => facts.seed_account(id, &roots),
            }
        }
    }
    let mut out = Vec::with_capacity(partners.len() + accounts.len());
    for p in partners {
        let (partner_owner, partner_region) = facts.partner(tx, &p).await?;
        out.push(Scope {
            root_partner_id: Some(p),
            partner_owner,
            partner_region,
            ..Scope::unrooted(kind)
        });
    }
    for a in accounts {
        let parent = parent_roots(tx, known, Kind::Account, Some(&a)).await?;
        let (partner_owner, partner_region) = match &parent.root_partner_id {
            Some(p) => facts.partner(tx, p).await?,
            None => (None, None),
        };
        out.push(Scope {
            root_partner_id: parent.root_partner_id,
            root_account_id: Some(a.clone()),
            partner_owner,
            partner_region,
            account_owner: facts.account(tx, &a).await?,
            ..Scope::unrooted(kind)
        });
    }
    Ok(out)
}

/// The field a record merged into its natural-key twin keeps in its tombstone: the twin's id.
pub const MERGED_INTO: &str = "merged_into";

/// The natural key of a record of `kind` with these fields (see [`Kind::natural_key`]), as a
/// JSON object for containment (`@>`); None when the kind has none or a key field is empty
/// (local stores allow any number of records with a null in their key).
pub fn natural_key(kind: Kind, fields: &Map<String, Value>) -> Option<Value> {
    let mut key = Map::new();
    for field in kind.natural_key()? {
        match fields.get(*field) {
            None | Some(Value::Null) => return None,
            Some(v) => key.insert((*field).to_string(), v.clone()),
        };
    }
    Some(Value::Object(key))
}

/// The live record of `kind`, other than `id`, with the natural key `key`: staged by this
/// push, or stored.
pub async fn natural_twin(
    tx: &mut Tx,
    known: &Known,
    kind: Kind,
    id: &str,
    key: &Value,
) -> ApiResult<Option<String>> {
    let matches = |r: &Record| {
        !r.deleted
            && r.id != id
            && key
                .as_object()
                .is_some_and(|k| k.iter().all(|(f, v)| r.fields.get(f) == Some(v)))
    };
    if let Some(staged) = known
        .iter()
        .filter(|((k, _), _)| *k == kind)
        .find_map(|(_, state)| state.as_ref().filter(|r| matches(r)))
    {
        return Ok(Some(staged.id.clone()));
    }
    let candidates: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM records WHERE kind = $1 AND NOT deleted AND fields @> $2 AND id <> $3
         ORDER BY seq",
    )
    .bind(kind.name())
    .bind(key)
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    // The stage may know better (a candidate this push changed or deleted).
    Ok(candidates
        .into_iter()
        .find(|c| match known.get(&(kind, c.clone())) {
            Some(state) => state.as_ref().is_some_and(matches),
            None => true,
        }))
}

/// Who owns partners and accounts, looked up once per operation.
#[derive(Debug, Default)]
pub struct FactCache {
    partners: HashMap<String, (Option<String>, Option<String>)>,
    accounts: HashMap<String, Option<String>>,
}

impl FactCache {
    /// Forgets what was looked up (after a partner or account changed).
    pub fn clear(&mut self) {
        self.partners.clear();
        self.accounts.clear();
    }

    /// Makes lookups of this partner answer with `roots`' owner and region (its state before a
    /// change that is already saved).
    pub fn seed_partner(&mut self, id: &str, roots: &Roots) {
        self.partners.insert(
            id.to_string(),
            (roots.scope_owner.clone(), roots.scope_region.clone()),
        );
    }

    /// Same as [`FactCache::seed_partner`], for an account's owner.
    pub fn seed_account(&mut self, id: &str, roots: &Roots) {
        self.accounts
            .insert(id.to_string(), roots.scope_owner.clone());
    }

    async fn partner(
        &mut self,
        tx: &mut Tx,
        id: &str,
    ) -> ApiResult<(Option<String>, Option<String>)> {
        if let Some(hit) = self.partners.get(id) {
            return Ok(hit.clone());
        }
        let row = sqlx::query(
            "SELECT scope_owner, scope_region FROM records WHERE kind = 'partner' AND id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let facts = match row {
            Some(row) => (row.try_get("scope_owner")?, row.try_get("scope_region")?),
            None => (None, None),
        };
        self.partners.insert(id.to_string(), facts.clone());
        Ok(facts)
    }

    async fn account(&mut self, tx: &mut Tx, id: &str) -> ApiResult<Option<String>> {
        if let Some(hit) = self.accounts.get(id) {
            return Ok(hit.clone());
        }
        let owner: Option<Option<String>> = sqlx::query_scalar(
            "SELECT scope_owner FROM records WHERE kind = 'account' AND id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let owner = owner.flatten();
        self.accounts.insert(id.to_string(), owner.clone());
        Ok(owner)
    }

    /// The authorization view of a record state with these roots. A partner's or account's own
    /// facts come from `roots` (the state being judged), not from the table.
    pub async fn scope(&mut self, tx: &mut Tx, kind: Kind, roots: &Roots) -> ApiResult<Scope> {
        let (partner_owner, partner_region) = match (kind, &roots.root_partner_id) {
            (Kind::Partner, _) => (roots.scope_owner.clone(), roots.scope_region.clone()),
            (_, Some(p)) => self.partner(tx, p).await?,
            (_, None) => (None, None),
        };
        let account_owner = match (kind, &roots.root_account_id) {
            (Kind::Account, _) => roots.scope_owner.clone(),
            (_, Some(a)) => self.account(tx, a).await?,
            (_, None) => None,
        };
        Ok(Scope {
            kind,
            author: roots.author.clone(),
            root_partner_id: roots.root_partner_id.clone(),
            root_account_id: roots.root_account_id.clone(),
            partner_owner,
            partner_region,
            account_owner,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_map(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn writer_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn writers_are_stored_once_for_most_fields_and_read_back_whole() {
        let versions = version_map(&[("name", 7), ("owner", 3), ("region", 3)]);
        let writers = writer_map(&[("name", "dev-b"), ("owner", "dev-a"), ("region", "dev-a")]);
        let (main, others) = stored_writers(&writers);
        assert_eq!(main, Some("dev-a"));
        assert_eq!(others, BTreeMap::from([("name", "dev-b")]));
        let others = others
            .into_iter()
            .map(|(f, w)| (f.to_string(), w.to_string()))
            .collect();
        assert_eq!(
            loaded_writers(&versions, others, main.map(str::to_string)),
            writers
        );
    }

    #[test]
    fn a_tie_and_an_empty_map_store_deterministically() {
        let writers = writer_map(&[("a", "dev-z"), ("b", "dev-y")]);
        let (main, others) = stored_writers(&writers);
        assert_eq!(main, Some("dev-y"), "ties go to the first writer by name");
        assert_eq!(others, BTreeMap::from([("a", "dev-z")]));
        assert_eq!(stored_writers(&BTreeMap::new()), (None, BTreeMap::new()));
    }

    #[test]
    fn rows_from_before_the_writer_column_read_as_they_were_written() {
        let versions = version_map(&[("name", 7), ("owner", 3)]);
        let full = writer_map(&[("name", "dev-b"), ("owner", "dev-a")]);
        assert_eq!(loaded_writers(&versions, full.clone(), None), full);
    }
}
