//! Numbered migrations, run on open. Append only: never edit a released migration.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{CoreError, Result};

/// Every migration's SQL, in order: the schema a database is made with.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/001_schema.sql"),
    include_str!("../../migrations/002_seed_rules.sql"),
    include_str!("../../migrations/003_search.sql"),
    include_str!("../../migrations/004_sync.sql"),
    include_str!("../../migrations/005_drafts.sql"),
    include_str!("../../migrations/006_unmarked_notes_index.sql"),
    include_str!("../../migrations/007_deferred_search_index.sql"),
    include_str!("../../migrations/008_sync_recovery.sql"),
    include_str!("../../migrations/009_deal_details.sql"),
    include_str!("../../migrations/010_renewal_incumbent.sql"),
    include_str!("../../migrations/011_badge_lifecycle.sql"),
    include_str!("../../migrations/012_award_tasks.sql"),
    include_str!("../../migrations/013_tsp_invitation.sql"),
    include_str!("../../migrations/014_deal_sums_indexes.sql"),
    include_str!("../../migrations/015_currencies.sql"),
    include_str!("../../migrations/016_nfr_and_curriculum_points.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Brings the database to [`SCHEMA_VERSION`], refusing one written by a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        tracing::info!(from = found, to = SCHEMA_VERSION, "migrating database");
        migrations().to_latest(conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => CoreError::Database(err),
            other => CoreError::Migration(other),
        })?;
    }
    Ok(())
}

/// Whether opening will migrate: the file's schema is older than this build's. The first read
/// of the file: an error says it is not a database (or not under this key).
pub(crate) fn migration_due(conn: &Connection) -> rusqlite::Result<bool> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(found < SCHEMA_VERSION)
}

/// Migrates to exactly `version`: for tests that build a database as an older release did.
pub(crate) fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    migrations().to_version(conn, version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations()
            .validate()
            .expect("every migration applies to an empty database");
    }
}
