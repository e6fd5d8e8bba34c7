//! Background sync: while signed in, a thread of its own runs [`Scheduler`] — at start, every
//! minute, on "Sync now" or when the UI sees the network come back, and after a failure with
//! back-off. It has its own database connection, so a slow server never holds up typing.

use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use cdesk_client::{Api, KeyringSecrets, Scheduler, Session, Trigger};
use cdesk_core::store::Store;
use cdesk_core::sync::{sync_once, SyncError, SyncOptions, SyncReport};
use cdesk_protocol::Conflict;
use parking_lot::Mutex;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::error::{AppError, AppResult};
use crate::events::{DataChanged, SyncFinished, SyncStarted};
use crate::notify;

/// The running sync loop, when signed in.
struct Running {
    session: Arc<Mutex<Session>>,
    trigger: Sender<Trigger>,
    thread: JoinHandle<()>,
}

/// Starts, wakes and stops the background sync.
#[derive(Default)]
pub struct SyncControl {
    running: Mutex<Option<Running>>,
}

/// The device name the server shows for this app's sessions.
fn device_name() -> String {
    format!("Channel Desk on {}", cdesk_client::profile::device_name())
}

impl SyncControl {
    /// Resumes the saved session (if this database is signed in) and starts syncing.
    pub fn resume(&self, app: &AppHandle, store: &Store) -> AppResult<bool> {
        let Some((server, email)) = store.read().sync_account()? else {
            return Ok(false);
        };
        let ca = store.read().server_ca()?;
        let api = Api::connect(&server, ca.as_deref())?;
        let session = Session::resume(api, &email, Box::new(KeyringSecrets))?;
        self.start(app, session);
        Ok(true)
    }

    /// Signs in (the refresh token goes to the OS keyring) and starts syncing. `ca_pem`: a CA
    /// to trust for this server beside the computer's own (a company CA); without one, the CA
    /// kept for the same server, if any.
    pub fn sign_in(
        &self,
        app: &AppHandle,
        store: &mut Store,
        server: &str,
        email: &str,
        password: &str,
        ca_pem: Option<&str>,
    ) -> AppResult<()> {
        // Before anything reaches the server: this profile may hold another person's data.
        store.read().check_profile_for(email)?;
        let kept = store.read().kept_server_ca()?;
        let ca = cdesk_client::sign_in_ca(
            server,
            ca_pem,
            kept.as_ref().map(|(s, p)| (s.as_str(), p.as_str())),
        )?;
        let api = Api::connect(server, ca.as_deref())?;
        self.stop();
        let session = Session::sign_in(
            api,
            email,
            password,
            &device_name(),
            Box::new(KeyringSecrets),
        )?;
        store.set_sync_account(Some((session.server(), session.email())))?;
        store.set_server_ca(ca.as_deref())?;
        store.set_profile_region(session.user().and_then(|u| u.region.as_deref()))?;
        store.set_profile_role(session.user().map(|u| u.role))?;
        self.start(app, session);
        Ok(())
    }

    /// Stops syncing, revokes the session and forgets the token. Local data stays.
    pub fn sign_out(&self, store: &mut Store) -> AppResult<()> {
        if let Some(session) = self.stop() {
            match Arc::try_unwrap(session) {
                Ok(session) => session.into_inner().sign_out()?,
                Err(_) => return Err(AppError::Internal("the session is still in use".into())),
            }
        }
        store.set_sync_account(None)?;
        store.set_server_ca(None)?;
        Ok(())
    }

    /// Wakes the loop for an attempt now.
    pub fn sync_now(&self) -> AppResult<()> {
        match &*self.running.lock() {
            Some(r) => r
                .trigger
                .send(Trigger::Now)
                .map_err(|_| AppError::Internal("the sync loop has stopped".into())),
            None => Err(AppError::SignedOut(
                "not signed in: sign in to a server in Settings to sync".into(),
            )),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.lock().is_some()
    }

    /// Resolves a conflict on the server with the chosen (or merged) value, then refreshes
    /// the local list of open conflicts.
    pub fn resolve_conflict(
        &self,
        store: &mut Store,
        id: &str,
        value: serde_json::Value,
    ) -> AppResult<()> {
        let session = self.session()?;
        let mut session = session.lock();
        session.resolve_conflict(id, value)?;
        let open: Vec<Conflict> = session.conflicts()?;
        store.replace_conflicts(&open)?;
        drop(session);
        self.sync_now()
    }

    fn session(&self) -> AppResult<Arc<Mutex<Session>>> {
        self.running
            .lock()
            .as_ref()
            .map(|r| Arc::clone(&r.session))
            .ok_or_else(|| AppError::SignedOut("not signed in".into()))
    }

    /// Runs `f` with the loop stopped (so its database connection is closed), then starts it
    /// again with the same session if it was running: for a restore, which swaps the file.
    pub fn paused<T>(&self, app: &AppHandle, f: impl FnOnce() -> T) -> T {
        let session = self.stop();
        let out = f();
        if let Some(session) = session {
            self.start_shared(app, session);
        }
        out
    }

    fn start(&self, app: &AppHandle, session: Session) {
        self.start_shared(app, Arc::new(Mutex::new(session)));
    }

    fn start_shared(&self, app: &AppHandle, session: Arc<Mutex<Session>>) {
        let email = session.lock().email().to_string();
        let (trigger, triggers) = mpsc::channel();
        let thread = {
            let session = Arc::clone(&session);
            let app = app.clone();
            std::thread::Builder::new()
                .name("sync".into())
                .spawn(move || run_loop(&app, &session, &triggers))
                .expect("a thread can be started")
        };
        *self.running.lock() = Some(Running {
            session,
            trigger,
            thread,
        });
        if let Err(e) = (SyncStarted { email }).emit(app) {
            tracing::warn!(error = %e, "could not tell the UI that sync started");
        }
    }

    /// Stops the loop and waits for it; returns the session it used.
    fn stop(&self) -> Option<Arc<Mutex<Session>>> {
        let running = self.running.lock().take()?;
        let _ = running.trigger.send(Trigger::Stop);
        if running.thread.join().is_err() {
            tracing::error!("the sync thread panicked");
        }
        Some(running.session)
    }
}

fn run_loop(app: &AppHandle, session: &Mutex<Session>, triggers: &mpsc::Receiver<Trigger>) {
    // A connection of its own to the app's database, under the key the app opened it with.
    let mut store = match app.state::<crate::state::AppState>().db.open_another() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "sync cannot open the database");
            return;
        }
    };
    let mut scheduler = Scheduler::default();
    scheduler.run(
        triggers,
        || attempt(&mut store, session),
        |result, wait| {
            let (error, pulled) = match result {
                Ok(report) => (None, u32::try_from(report.pulled).unwrap_or(u32::MAX)),
                Err(e) => (Some(e.to_string()), 0),
            };
            let event = SyncFinished {
                error,
                pulled,
                next_attempt_in_secs: u32::try_from(wait.as_secs()).unwrap_or(u32::MAX),
            };
            if let Err(e) = event.emit(app) {
                tracing::warn!(error = %e, "could not tell the UI about sync");
            }
            if pulled > 0 {
                let _ = DataChanged { pulled }.emit(app);
                notify::remind(app);
            }
        },
    );
}

/// One sync: push and pull, then refresh the open conflicts from the server.
fn attempt(store: &mut Store, session: &Mutex<Session>) -> Result<SyncReport, SyncError> {
    let mut session = session.lock();
    let report = sync_once(store, &mut *session, SyncOptions::default())?;
    let conflicts = session.conflicts()?;
    store.replace_conflicts(&conflicts)?;
    Ok(report)
}
