//! A desktop client as the app has one: a [`Store`] (a file, or memory for the many-clients run)
//! signed in with a [`Session`] over HTTP, its refresh token in [`MemorySecrets`] (the keyring is
//! not what is measured). [`Timed`] splits a sync's time between the wire (request, server,
//! response) and the client's own work (outbox reads, applying pages in SQLite).

use std::path::Path;
use std::time::{Duration, Instant};

use cdesk_client::{MemorySecrets, Session};
use cdesk_core::domain::{CallNote, Partner, Region, Track};
use cdesk_core::store::Store;
use cdesk_core::sync::{sync_once, OwnEchoes, SyncOptions, SyncReport, Transport, TransportError};
use cdesk_protocol::{PullResponse, PushRequest, PushResponse};

use crate::harness::PASSWORD;

pub struct Client {
    pub store: Store,
    pub session: Session,
}

impl Client {
    /// Signs `email` in from a new device whose database is at `path` (None: in memory).
    pub fn sign_in(server: &str, email: &str, path: Option<&Path>) -> Result<Client, String> {
        let mut store = match path {
            Some(p) => Store::open(p),
            None => Store::open_in_memory(),
        }
        .map_err(|e| format!("open the store: {e}"))?;
        let session = Session::sign_in(
            cdesk_client::Api::new(server).expect("server address"),
            email,
            PASSWORD,
            "syncbench",
            Box::new(MemorySecrets::default()),
        )
        .map_err(|e| format!("sign in {email}: {e}"))?;
        store
            .set_sync_account(Some((session.server(), session.email())))
            .map_err(|e| e.to_string())?;
        Ok(Client { store, session })
    }

    /// One `sync_once`, timed as a whole and split between the wire and the client.
    pub fn sync(&mut self) -> Result<Timing, String> {
        let mut timed = Timed::new(&mut self.session);
        let start = Instant::now();
        let report = sync_once(&mut self.store, &mut timed, SyncOptions::default())
            .map_err(|e| e.to_string())?;
        let total = start.elapsed();
        Ok(Timing {
            total,
            pushes: timed.pushes,
            pulls: timed.pulls,
            report,
        })
    }
}

/// What one sync took.
#[derive(Debug, Clone)]
pub struct Timing {
    pub total: Duration,
    /// Each push request, from send to parsed answer.
    pub pushes: Vec<Duration>,
    /// Each pull request, from send to parsed answer.
    pub pulls: Vec<Duration>,
    pub report: SyncReport,
}

impl Timing {
    pub fn wire(&self) -> Duration {
        self.pushes.iter().chain(&self.pulls).sum()
    }

    /// The client's own work: reading the outbox, acknowledging, applying pages.
    pub fn local(&self) -> Duration {
        self.total.saturating_sub(self.wire())
    }
}

/// A transport that times each request of the session it wraps.
pub struct Timed<'a> {
    inner: &'a mut Session,
    pub pushes: Vec<Duration>,
    pub pulls: Vec<Duration>,
}

impl<'a> Timed<'a> {
    pub fn new(inner: &'a mut Session) -> Self {
        Timed {
            inner,
            pushes: Vec::new(),
            pulls: Vec::new(),
        }
    }
}

impl Transport for Timed<'_> {
    fn push(&mut self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let start = Instant::now();
        let result = self.inner.push(request);
        self.pushes.push(start.elapsed());
        result
    }

    fn pull(
        &mut self,
        cursor: i64,
        limit: usize,
        own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        let start = Instant::now();
        let result = self.inner.pull(cursor, limit, own);
        self.pulls.push(start.elapsed());
        result
    }
}

/// A partner owned by `owner`, saved (and queued for push).
pub fn new_partner(store: &mut Store, name: &str, owner: &str) -> Partner {
    let partner = Partner::new(name, Track::Select, Region::Emea, owner);
    store.write(|w| w.put(&partner)).expect("save the partner");
    partner
}

/// `count` call notes by `author` on `partner`, saved in transactions of 1,000 (the bench
/// does not time this part).
pub fn new_notes(store: &mut Store, partner: &Partner, author: &str, count: usize, salt: u64) {
    let mut text = Text::new(salt);
    let mut left = count;
    while left > 0 {
        let n = left.min(1_000);
        store
            .write(|w| {
                for _ in 0..n {
                    let mut note = CallNote::new(&text.title(), &text.body(), author);
                    note.partner_id = Some(partner.id.clone());
                    w.put(&note)?;
                }
                Ok(())
            })
            .expect("save notes");
        left -= n;
    }
}

/// Note text about the size of the demo data's (a title of ~40 characters, a body of ~250),
/// varied so that FTS and JSON see real words, the same for the same salt.
pub struct Text {
    state: u64,
}

const WORDS: &[&str] = &[
    "pipeline",
    "renewal",
    "migration",
    "terraform",
    "kubernetes",
    "security",
    "review",
    "budget",
    "pilot",
    "workshop",
    "certification",
    "runner",
    "compliance",
    "residency",
    "forecast",
    "quarter",
    "champion",
    "procurement",
    "roadmap",
    "integration",
    "scanning",
    "deployment",
    "licence",
    "expansion",
    "onboarding",
    "training",
    "proposal",
    "partner",
    "customer",
    "timeline",
    "approval",
    "architecture",
];

impl Text {
    pub fn new(salt: u64) -> Text {
        Text {
            state: salt.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
        }
    }

    fn word(&mut self) -> &'static str {
        // xorshift64*: deterministic and dependency-free.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let r = self.state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        WORDS[(r >> 33) as usize % WORDS.len()]
    }

    pub fn title(&mut self) -> String {
        format!(
            "Call about {} {} and {}",
            self.word(),
            self.word(),
            self.word()
        )
    }

    pub fn body(&mut self) -> String {
        let mut body = String::with_capacity(300);
        for s in 0..4 {
            if s > 0 {
                body.push(' ');
            }
            body.push_str(&format!(
                "They asked about the {} {} for the {} {}; we agreed to follow up on {}.",
                self.word(),
                self.word(),
                self.word(),
                self.word(),
                self.word()
            ));
        }
        body
    }
}
