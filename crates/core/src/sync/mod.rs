//! The sync engine, independent of how bytes travel: [`sync_once`] pushes the outbox in order
//! in batches, then pulls pages until caught up, through a [`Transport`] (HTTP in
//! `cdesk-client`, in-process in tests).
//!
//! Whatever the transport does — fails, disappears mid-way, answers garbage — the store stays
//! consistent: the outbox shrinks only for what the server acknowledged, and a page is applied
//! together with its cursor or not at all (several pages may share one local transaction, see
//! [`SyncOptions::apply_batch`]; those that arrived before a failure are applied before the
//! error is returned). The next attempt picks up where this one stopped.

use cdesk_protocol::{
    Change, PullResponse, PushRequest, PushResponse, MAX_PULL_PAGE, MAX_PUSH_BATCH,
};
use serde::Serialize;
use thiserror::Error;

use crate::error::CoreError;
use crate::store::Store;

/// Why talking to the server failed.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum TransportError {
    /// No connection, a timeout, a connection closed mid-answer: try again later.
    #[error("the server cannot be reached: {0}")]
    Offline(String),
    /// Sign in again.
    #[error("not signed in: {0}")]
    Unauthorized(String),
    /// This app is too old for the server.
    #[error("this version of Channel Desk is too old for the server: {0}")]
    UpgradeRequired(String),
    /// The server answered with an error.
    #[error("the server refused ({status} {code}): {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The server address cannot be used (malformed, or plain HTTP to another computer).
    #[error("server address {0}")]
    BadAddress(String),
    /// The server answered something that is not the protocol.
    #[error("the server answered something unexpected: {0}")]
    Garbage(String),
}

impl TransportError {
    /// Worth retrying on its own later (as opposed to needing the person).
    pub fn is_transient(&self) -> bool {
        match self {
            TransportError::Offline(_) | TransportError::Garbage(_) => true,
            TransportError::Server { status, .. } => *status >= 500 || *status == 429,
            TransportError::Unauthorized(_)
            | TransportError::UpgradeRequired(_)
            | TransportError::BadAddress(_) => false,
        }
    }
}

/// How the engine talks to the server.
pub trait Transport {
    fn push(&mut self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    fn pull(&mut self, cursor: i64, limit: usize) -> Result<PullResponse, TransportError>;
}

#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Store(#[from] CoreError),
}

impl SyncError {
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Transport(t) => t.is_transient(),
            SyncError::Store(_) => false,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    pub pushed: usize,
    pub applied: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub conflicts: usize,
    pub pulled: usize,
    pub resets: usize,
}

/// Pulled changes applied in one local transaction, at most (see [`SyncOptions::apply_batch`]).
pub const APPLY_BATCH: usize = 5_000;

/// Batch sizes; the defaults are the protocol's maxima and [`APPLY_BATCH`].
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    pub push_batch: usize,
    pub pull_page: usize,
    /// Pages are applied together (with the last page's cursor) once this many changes have
    /// arrived, or when the server has no more. Every local commit rewrites the index pages its
    /// rows touched, and pulled rows land all over the indexes: one commit per 1,000-change page
    /// made a 100,000-record first pull write its indexes about a hundred times over
    /// (docs/sync-benchmarks.md).
    pub apply_batch: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            push_batch: MAX_PUSH_BATCH,
            pull_page: MAX_PULL_PAGE,
            apply_batch: APPLY_BATCH,
        }
    }
}

/// Pushes everything pending, then pulls until caught up. Records the attempt (and its error)
/// in the store's sync status.
pub fn sync_once(
    store: &mut Store,
    transport: &mut dyn Transport,
    options: SyncOptions,
) -> Result<SyncReport, SyncError> {
    let result = run(store, transport, options);
    let error = result.as_ref().err().map(|e| e.to_string());
    store.record_sync_attempt(error.as_deref())?;
    if let Err(e) = &result {
        tracing::warn!(error = %e, "sync failed");
    }
    result
}

fn run(
    store: &mut Store,
    transport: &mut dyn Transport,
    options: SyncOptions,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let device_id = store.device_id()?;
    loop {
        let batch = store.read().pending_mutations(options.push_batch.max(1))?;
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            break;
        };
        let (first_id, last_id) = (first.mutation_id, last.mutation_id);
        let request = PushRequest {
            device_id: device_id.clone(),
            mutations: batch,
        };
        let response = transport.push(&request)?;
        if response.last_mutation_id < first_id || response.last_mutation_id > last_id {
            return Err(TransportError::Garbage(format!(
                "push of mutations {first_id}..={last_id} acknowledged up to {}",
                response.last_mutation_id
            ))
            .into());
        }
        let outcome = store
            .acknowledge_push(&request.mutations, &response)
            .map_err(|e| TransportError::Garbage(e.to_string()))?;
        report.pushed += request
            .mutations
            .iter()
            .filter(|m| m.mutation_id <= response.last_mutation_id)
            .count();
        report.applied += outcome.applied;
        report.duplicates += outcome.duplicates;
        report.rejected += outcome.rejected;
        report.conflicts += outcome.conflicts;
    }

    let mut cursor = store.read().sync_cursor()?;
    let mut epoch = store.read().sync_epoch()?;
    // Pulled, not yet applied: everything up to `cursor`, from the server's `epoch`.
    let mut unapplied = Unapplied::default();
    loop {
        let response = match transport.pull(cursor, options.pull_page.max(1)) {
            Ok(response) => response,
            Err(e) => {
                // Keep the pages that did arrive.
                unapplied.apply(store, cursor, epoch.as_deref())?;
                return Err(e.into());
            }
        };
        let response = match response {
            PullResponse::Changes {
                epoch: ref server_epoch,
                ..
            } if cursor > 0 && epoch.as_deref().is_some_and(|mine| mine != server_epoch) => {
                PullResponse::Reset {
                    reason: format!("the server's epoch changed to {server_epoch}"),
                }
            }
            other => other,
        };
        match response {
            PullResponse::Changes {
                changes,
                cursor: next,
                has_more,
                epoch: server_epoch,
            } => {
                if let Err(e) = check_page(cursor, next, &changes) {
                    unapplied.apply(store, cursor, epoch.as_deref())?;
                    return Err(e.into());
                }
                unapplied.changes.extend(changes);
                unapplied.pages += 1;
                cursor = next;
                epoch = Some(server_epoch);
                if !has_more || unapplied.changes.len() >= options.apply_batch.max(1) {
                    report.pulled += unapplied.apply(store, cursor, epoch.as_deref())?;
                }
                if !has_more {
                    break;
                }
            }
            PullResponse::Reset { reason } => {
                if report.resets > 0 {
                    return Err(TransportError::Garbage(format!("reset twice: {reason}")).into());
                }
                tracing::info!(%reason, "server asked for a full resync");
                report.resets += 1;
                // What arrived from the old epoch is pulled again from 0.
                unapplied = Unapplied::default();
                store.reset_sync_cursor()?;
                cursor = 0;
                epoch = None;
            }
        }
    }
    Ok(report)
}

/// Pages pulled and checked, waiting to be applied together.
#[derive(Default)]
struct Unapplied {
    changes: Vec<Change>,
    pages: usize,
}

impl Unapplied {
    /// Applies the waiting pages with `cursor` (the last one's) in one local transaction.
    fn apply(
        &mut self,
        store: &mut Store,
        cursor: i64,
        epoch: Option<&str>,
    ) -> Result<usize, SyncError> {
        let (Some(epoch), true) = (epoch, self.pages > 0) else {
            return Ok(0);
        };
        let applied = store.apply_pull(&self.changes, cursor, epoch)?;
        *self = Unapplied::default();
        Ok(applied)
    }
}

/// A page must move forward and hold changes within it.
fn check_page(cursor: i64, next: i64, changes: &[Change]) -> Result<(), TransportError> {
    if next < cursor {
        return Err(TransportError::Garbage(format!(
            "the cursor went back from {cursor} to {next}"
        )));
    }
    if let Some(bad) = changes.iter().find(|c| c.seq <= cursor || c.seq > next) {
        return Err(TransportError::Garbage(format!(
            "change {} is outside the page ({cursor}, {next}]",
            bad.seq
        )));
    }
    Ok(())
}
