//! The sync benchmark: real PostgreSQL, the real `cdesk-server` binary, real clients over HTTP.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/target-syncbench cargo bench -p cdesk-server --bench sync
//! ```
//!
//! prints a results table and writes it, with the machine, the command and the load average,
//! to `docs/sync-benchmarks.md` (between markers; the text around them is kept). Without
//! `--bench` (`cargo test --benches`) it runs every scenario once at a small size, as a smoke
//! test, and writes nothing.
//!
//! Scenarios, in the order they run (see `sync/bulk.rs` and `sync/crowd.rs`):
//! 2. ~100,000 demo records pushed (each note by its author), then pulled into a fresh client
//!    that runs as a separate process (this binary, `pull-child`), whose peak memory (VmHWM)
//!    is read.
//! 1. 10,000 new notes pushed by a CAM's device A; initial pull into the CAM's new device B.
//! 3. Syncs with nothing to do; 100 edits pushed by A and pulled by B.
//! 4. 200 clients at once, each its own thread, in-memory store and session.

#[path = "sync/bulk.rs"]
mod bulk;
#[path = "sync/client.rs"]
mod client;
#[path = "sync/crowd.rs"]
mod crowd;
#[path = "sync/harness.rs"]
mod harness;
#[path = "sync/report.rs"]
mod report;
#[path = "sync/seed.rs"]
mod seed;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cdesk_core::demo::DemoSize;
use cdesk_protocol::Role;

use harness::{NewUser, Server};

/// How much each scenario does.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Scenario 1: notes pushed by A.
    pub notes: usize,
    /// Scenario 2: the demo data (about 27 records per partner and 1.5 per note).
    pub demo: DemoSize,
    /// Scenario 3: idle syncs measured.
    pub noop_runs: usize,
    /// Scenario 3: edits per round, and rounds.
    pub edits: usize,
    pub edit_rounds: usize,
    /// Scenario 4: clients, the notes each saves before the first sync, syncs, and the notes
    /// saved before each later sync.
    pub clients: usize,
    pub client_notes: usize,
    pub rounds: usize,
    pub notes_per_round: usize,
}

const FULL: Sizes = Sizes {
    notes: 10_000,
    demo: DemoSize {
        partners: 400,
        notes: 59_400,
    },
    noop_runs: 100,
    edits: 100,
    edit_rounds: 20,
    clients: 200,
    client_notes: 20,
    rounds: 5,
    notes_per_round: 5,
};

const SMOKE: Sizes = Sizes {
    notes: 200,
    demo: DemoSize {
        partners: 4,
        notes: 300,
    },
    noop_runs: 5,
    edits: 10,
    edit_rounds: 2,
    clients: 8,
    client_notes: 3,
    rounds: 2,
    notes_per_round: 2,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("pull-child") {
        return pull_child(&args[1..]);
    }
    let full = args.iter().any(|a| a == "--bench");
    let sizes = if full { FULL } else { SMOKE };
    let began = Instant::now();
    let started_uptime = harness::uptime();
    println!(
        "sync benchmark ({}) — {started_uptime}",
        if full { "full" } else { "smoke" }
    );

    let server = Server::start(16);
    let mut users = vec![
        NewUser {
            email: bulk::ADMIN.into(),
            role: Role::Admin,
        },
        NewUser {
            email: bulk::CAM.into(),
            role: Role::Cam,
        },
    ];
    users.extend((0..sizes.clients).map(|i| NewUser {
        email: crowd::email(i),
        role: Role::Cam,
    }));
    harness::create_users(&server.database_url, &users);
    println!(
        "  server {} (pid {}), {} users",
        server.base,
        server.pid,
        users.len()
    );

    let dir = tempfile::Builder::new()
        .prefix("cdesk-syncbench-")
        .tempdir()
        .expect("temp dir");
    let mut rows = Vec::new();
    let mut extra = serde_json::Map::new();
    println!("scenario 2: {:?}", sizes.demo);
    bulk::hundred_thousand(&server, dir.path(), sizes.demo, &mut rows, &mut extra);
    println!("scenario 1 and 3: two devices of one CAM");
    bulk::two_devices(&server, dir.path(), &sizes, &mut rows);
    println!("scenario 4: {} clients", sizes.clients);
    crowd::run(&server, &sizes, &mut rows, &mut extra);
    extra.insert(
        "server_memory".into(),
        serde_json::to_value(server.memory()).unwrap_or_default(),
    );
    drop(server);

    let run = report::Run {
        command: command(),
        started_uptime,
        finished_uptime: harness::uptime(),
        total_seconds: began.elapsed().as_secs_f64(),
        machine: harness::machine(),
        rows,
        extra,
    };
    println!("\n{}", report::table(&run.rows));
    println!("{}", run.finished_uptime);
    if full {
        let path = docs_path();
        report::write_markdown(&path, &run).expect("write the report");
        println!("written to {}", path.display());
    }
    let failed: Vec<&report::Row> = run
        .rows
        .iter()
        .filter(|r| r.what.ends_with("errors") && r.met() == Some(false))
        .collect();
    assert!(failed.is_empty(), "errors: {failed:?}");
}

fn docs_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/sync-benchmarks.md")
}

fn command() -> String {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(|d| format!("CARGO_TARGET_DIR={d} "))
        .unwrap_or_default();
    format!("{target}cargo bench -p cdesk-server --bench sync")
}

/// `pull-child <server> <email> <database>`: signs in from a new device, runs one sync (the
/// initial pull), prints what it took as one JSON line, then waits for stdin to close so the
/// parent can read its `/proc/<pid>/status`.
fn pull_child(args: &[String]) {
    let [base, email, db] = args else {
        panic!("usage: pull-child <server> <email> <database>");
    };
    let mut c = client::Client::sign_in(base, email, Some(Path::new(db))).expect("sign in");
    let t = c.sync().expect("the initial pull");
    let line = serde_json::json!({
        "total_ms": report::ms(t.total),
        "wire_ms": report::ms(t.wire()),
        "local_ms": report::ms(t.local()),
        "pulls": t.pulls.len(),
        "pulled": t.report.pulled,
    });
    println!("{line}");
    let _ = std::io::stdin().lock().lines().next();
}
