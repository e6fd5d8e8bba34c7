//! The sync engine, independent of how bytes travel: [`sync_once`] pushes the outbox in order
//! in batches, then pulls pages until caught up, through a [`Transport`] (HTTP in
//! `cdesk-client`, in-process in tests).
//!
//! Whatever the transport does — fails, disappears mid-way, answers garbage — the store stays
//! consistent: the outbox shrinks only for what the server acknowledged, and a page is applied
//! together with its cursor or not at all (several pages may share one local transaction, see
//! [`SyncOptions::apply_batch`]; those that arrived before a failure are applied before the
//! error is returned). The next attempt picks up where this one stopped. The next pages are
//! downloaded while the ones before are applied (see `pull`).

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
    /// The server's certificate is not signed by an authority this computer trusts: a company
    /// CA the person has to give, or someone in the middle.
    #[error(
        "the server's certificate is not trusted ({0}); if your company runs its own \
         certificate authority, give its certificate (`cdesk login --ca-file FILE`, or the \
         CA certificate field in Settings)"
    )]
    Untrusted(String),
}

impl TransportError {
    /// Worth retrying on its own later (as opposed to needing the person).
    pub fn is_transient(&self) -> bool {
        match self {
            TransportError::Offline(_) | TransportError::Garbage(_) => true,
            TransportError::Server { status, .. } => *status >= 500 || *status == 429,
            TransportError::Unauthorized(_)
            | TransportError::UpgradeRequired(_)
            | TransportError::BadAddress(_)
            | TransportError::Untrusted(_) => false,
        }
    }
}

/// How the engine talks to the server.
pub trait Transport {
    fn push(&mut self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    /// A page of changes after `cursor`. With `own` (this device) the server may leave out
    /// records whose current state is exactly what this device pushed: their values are here
    /// already, and [`Store::acknowledge_push`] kept their versions.
    fn pull(
        &mut self,
        cursor: i64,
        limit: usize,
        own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError>;
}

/// This device, named in a pull so that its echoes are left out.
#[derive(Debug, Clone, Copy)]
pub struct OwnEchoes<'a> {
    pub device: &'a str,
    /// The highest mutation id this database has made. A database restored from a backup or
    /// copied has made fewer than the server applied from its device, and lacks records that
    /// would be left out as its echoes: the server answers `diverged` instead.
    pub made: i64,
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
    /// This database continued as a new device: the server had processed its mutation ids
    /// with other content (a restored or copied database) or had forgotten some (a restored
    /// server).
    pub new_device: bool,
    /// Records the server had lost (restored from a backup) pushed again from here.
    pub restored_to_server: usize,
    /// Pulled changes that could not be stored here, kept aside (see the status).
    pub not_applied: usize,
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
    push_all(store, transport, options, &mut report)?;
    let restored = match pull(store, transport, options, &mut report) {
        // Nothing to push, and the server applied more from this device than this database
        // made: it was restored from a backup or copied. As for a push, continue as a new
        // device, whose reconciling full resync brings back what this copy lacks.
        Err(SyncError::Transport(TransportError::Server {
            status: 409,
            code,
            message,
        })) if code == "diverged" && !report.new_device => {
            tracing::warn!(%message, "this database is behind the server: continuing as a new device");
            store.start_new_incarnation()?;
            report.new_device = true;
            push_all(store, transport, options, &mut report)?;
            pull(store, transport, options, &mut report)?
        }
        other => other?,
    };
    if restored > 0 {
        // What the server lost goes back up now, not at the next sync.
        report.restored_to_server = restored;
        push_all(store, transport, options, &mut report)?;
    }
    report.not_applied = store.read().sync_status()?.unapplied as usize;
    Ok(report)
}

/// Pushes the outbox in batches until it is empty. A server that has processed this device's
/// ids with other content (`diverged`) or forgot some (`gap`) gets this database as a new
/// device, once per sync: its outbox is then new to the server, and the next pull is a
/// reconciling full resync ([`Store::start_new_incarnation`]).
fn push_all(
    store: &mut Store,
    transport: &mut dyn Transport,
    options: SyncOptions,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    loop {
        let batch = store.read().pending_mutations(options.push_batch.max(1))?;
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        let (first_id, last_id) = (first.mutation_id, last.mutation_id);
        let request = PushRequest {
            device_id: store.device_id()?,
            mutations: batch,
        };
        let response = match transport.push(&request) {
            Ok(response) => response,
            Err(TransportError::Server {
                status: 409,
                code,
                message,
            }) if !report.new_device && (code == "gap" || code == "diverged") => {
                tracing::warn!(%code, %message,
                    "the server's record of this device differs from this database: \
                     continuing as a new device");
                store.start_new_incarnation()?;
                report.new_device = true;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
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
}

/// What the downloading side hands the applying one, in order.
enum Work {
    /// Pulled pages with the last one's cursor and epoch: one local transaction.
    Apply {
        changes: Vec<Change>,
        cursor: i64,
        epoch: String,
    },
    /// A full resync: forget the cursor (the outbox stays). The server was restored from a
    /// backup (its epoch changed, or it has not reached our cursor): what it lacks is pushed
    /// again once the resync ends.
    Reset,
    /// The last page arrived and was handed over.
    Done,
}

/// Pulls until caught up, adding what it did to `report`, and returns how many records the
/// server had lost were queued to be pushed again. The download of the next
/// pages overlaps the applying of the ones before (a thread of this scope applies them): a
/// fresh client's first pull would otherwise wait for each answer with the store idle, then
/// apply with the connection idle (docs/sync-benchmarks.md). The transport stays on the
/// calling thread. At most one group waits to be applied while the next one is downloaded.
///
/// The store's error wins over the transport's: when applying fails, the download stops.
fn pull(
    store: &mut Store,
    transport: &mut dyn Transport,
    options: SyncOptions,
    report: &mut SyncReport,
) -> Result<usize, SyncError> {
    let device = store.device_id()?;
    let made = store.read().mutations_made()?;
    let cursor = store.read().sync_cursor()?;
    let epoch = store.read().sync_epoch()?;
    // From 0 (a first pull, or after a reset) everything comes, our own records too, to the
    // last page: after a reset the server's state of them may differ from ours. A full resync
    // interrupted earlier goes on from its cursor, still in full.
    let full = cursor == 0 || store.read().full_resync_pending()?;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Work>(0);
    let resets = &mut report.resets;
    let (applied, requeued) = std::thread::scope(|scope| {
        let applier = scope.spawn(move || -> Result<(usize, usize), SyncError> {
            let (mut applied, mut requeued) = (0, 0);
            for work in receiver {
                match work {
                    Work::Apply {
                        changes,
                        cursor,
                        epoch,
                    } => applied += store.apply_pull(&changes, cursor, &epoch)?,
                    Work::Reset => store.begin_full_resync(true)?,
                    Work::Done => requeued += store.finish_full_resync()?,
                }
            }
            store.checkpoint_after_pull()?;
            Ok((applied, requeued))
        });
        let own = OwnEchoes {
            device: &device,
            made,
        };
        let downloaded = download(
            transport, options, own, cursor, epoch, full, &sender, resets,
        );
        drop(sender);
        let applied = match applier.join() {
            Ok(applied) => applied?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        downloaded?;
        Ok::<_, SyncError>(applied)
    })?;
    report.pulled += applied;
    Ok(requeued)
}

/// The downloading side of [`pull`]: pulls pages from `cursor` and hands them over in groups
/// of up to [`SyncOptions::apply_batch`] changes. Stops (with `Ok`) when the applying side has
/// gone, which only happens when it failed. `full`: this device's own records come too.
#[allow(clippy::too_many_arguments)]
fn download(
    transport: &mut dyn Transport,
    options: SyncOptions,
    own: OwnEchoes<'_>,
    mut cursor: i64,
    mut epoch: Option<String>,
    mut full: bool,
    applier: &std::sync::mpsc::SyncSender<Work>,
    resets: &mut usize,
) -> Result<(), SyncError> {
    // Pulled, not yet handed over: everything up to `cursor`, from the server's `epoch`.
    let mut unapplied = Unapplied::default();
    loop {
        let own_left_out = (!full).then_some(own);
        let response = match transport.pull(cursor, options.pull_page.max(1), own_left_out) {
            Ok(response) => response,
            Err(e) => {
                // Keep the pages that did arrive.
                unapplied.hand_over(applier, cursor, epoch.as_deref());
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
                    unapplied.hand_over(applier, cursor, epoch.as_deref());
                    return Err(e.into());
                }
                unapplied.changes.extend(changes);
                unapplied.pages += 1;
                cursor = next;
                epoch = Some(server_epoch);
                if (!has_more || unapplied.changes.len() >= options.apply_batch.max(1))
                    && !unapplied.hand_over(applier, cursor, epoch.as_deref())
                {
                    return Ok(()); // applying failed: its error is the answer
                }
                if !has_more {
                    let _ = applier.send(Work::Done);
                    return Ok(());
                }
            }
            PullResponse::Reset { reason } => {
                if *resets > 0 {
                    return Err(TransportError::Garbage(format!("reset twice: {reason}")).into());
                }
                tracing::info!(%reason, "server asked for a full resync");
                *resets += 1;
                // What arrived from the old epoch is pulled again from 0.
                unapplied = Unapplied::default();
                if applier.send(Work::Reset).is_err() {
                    return Ok(());
                }
                cursor = 0;
                epoch = None;
                full = true;
            }
        }
    }
}

/// Pages pulled and checked, waiting to be applied together.
#[derive(Default)]
struct Unapplied {
    changes: Vec<Change>,
    pages: usize,
}

impl Unapplied {
    /// Hands the waiting pages with `cursor` (the last one's) over to be applied in one local
    /// transaction. False when the applying side is gone.
    fn hand_over(
        &mut self,
        applier: &std::sync::mpsc::SyncSender<Work>,
        cursor: i64,
        epoch: Option<&str>,
    ) -> bool {
        let (Some(epoch), true) = (epoch, self.pages > 0) else {
            return true;
        };
        let work = Work::Apply {
            changes: std::mem::take(&mut self.changes),
            cursor,
            epoch: epoch.to_string(),
        };
        self.pages = 0;
        applier.send(work).is_ok()
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
