//! PostgreSQL: the pool, migrations, and the global change sequence.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use crate::error::ApiResult;

pub type Tx = Transaction<'static, Postgres>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects a pool to `url` (a `postgres://` URL).
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
}

/// Brings the schema up to date. Safe to run from several processes at once (sqlx takes an
/// advisory lock).
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Locks the sequence counter until the transaction ends and returns the last number handed
/// out. Every transaction that may write records takes this lock *first* (after its device row,
/// which no one else locks), so writers never wait for each other in opposite orders: without
/// it, a push holding the counter could wait for a record that a second writer had locked before
/// asking for the counter (deadlock).
pub async fn lock_seq(tx: &mut Tx) -> ApiResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT value FROM seq_counter FOR UPDATE")
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Records `last` as the last number handed out: for a writer that holds the counter's lock
/// ([`lock_seq`]) and numbered its changes itself (see [`crate::stage`]).
pub async fn store_seq(tx: &mut Tx, last: i64) -> ApiResult<()> {
    sqlx::query("UPDATE seq_counter SET value = $1")
        .bind(last)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes the next number of the global change sequence.
///
/// The `UPDATE` locks the counter row until the transaction ends, so a writer that took a
/// number commits before the next writer can take one: numbers are handed out in commit order,
/// gap-free, and a reader that sees number N sees every change up to N. (A PostgreSQL
/// `SEQUENCE` is not commit-ordered: a reader could see 8 committed while 7 is still open, store
/// cursor 8, and never see 7.)
pub async fn next_seq(tx: &mut Tx) -> ApiResult<i64> {
    next_seqs(tx, 1).await
}

/// Takes `n` consecutive numbers and returns the first.
pub async fn next_seqs(tx: &mut Tx, n: i64) -> ApiResult<i64> {
    let last: i64 = sqlx::query_scalar("UPDATE seq_counter SET value = value + $1 RETURNING value")
        .bind(n)
        .fetch_one(&mut **tx)
        .await?;
    Ok(last - n + 1)
}

/// The last number handed out (committed, as seen by the caller's snapshot) and the database's
/// epoch.
pub async fn current_seq(conn: &mut sqlx::PgConnection) -> ApiResult<(i64, String)> {
    Ok(sqlx::query_as("SELECT value, epoch FROM seq_counter")
        .fetch_one(conn)
        .await?)
}

/// Gives the database a new epoch: every client then pulls from 0 again. For a database restored
/// from a backup, whose sequence may re-issue numbers clients have already passed.
pub async fn renew_epoch(pool: &sqlx::PgPool) -> ApiResult<String> {
    Ok(
        sqlx::query_scalar(
            "UPDATE seq_counter SET epoch = gen_random_uuid()::text RETURNING epoch",
        )
        .fetch_one(pool)
        .await?,
    )
}
