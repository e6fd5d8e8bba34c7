//! Scenarios 1–3: one user's devices. Bulk first (100,000 records pushed by an admin, then pulled
//! into a fresh client in a child process whose peak memory is read), so that the smaller
//! scenarios run against a server that already holds a realistic amount of other people's data.

use std::path::Path;
use std::time::Duration;

use cdesk_core::demo::DemoSize;
use cdesk_core::ops::{list_notes, update_note, NoteEdit, NoteQuery};
use serde_json::json;

use crate::client::{new_notes, new_partner, Client, Timing};
use crate::harness::{
    cpu_seconds, load_average, postgres_cpu, postgres_cpu_since, run_child, Memory, Server,
};
use crate::report::{ms, Row, Stats, Target};
use crate::{seed, Sizes};

pub const ADMIN: &str = "admin@bench.example";
pub const CAM: &str = "cam.a@bench.example";

fn row(scenario: &'static str, what: String, value: f64, unit: &'static str) -> Row {
    Row {
        scenario,
        what,
        value,
        unit,
        target: Target::None,
        detail: String::new(),
        load_average: load_average(),
    }
}

fn below(mut r: Row, limit: f64) -> Row {
    r.target = Target::Below { limit };
    r
}

fn detail(mut r: Row, detail: String) -> Row {
    r.detail = detail;
    r
}

/// "3 push requests 412 ms, 11 pull requests 220 ms, client 130 ms"
pub fn breakdown(t: &Timing) -> String {
    format!(
        "{} push req. {:.0} ms, {} pull req. {:.0} ms (wire incl. server), client {:.0} ms",
        t.pushes.len(),
        ms(t.pushes.iter().sum()),
        t.pulls.len(),
        ms(t.pulls.iter().sum()),
        ms(t.local())
    )
}

/// CPU time used over a stretch by this process (the client, and the thread that drains the
/// server's log), the server process and its PostgreSQL backends.
struct Cpu {
    server: u32,
    database_url: String,
    client: f64,
    server_start: f64,
    postgres_start: std::collections::HashMap<u32, f64>,
}

impl Cpu {
    fn start(server: &Server) -> Cpu {
        Cpu {
            server: server.pid,
            database_url: server.database_url.clone(),
            client: cpu_seconds(std::process::id()),
            server_start: cpu_seconds(server.pid),
            postgres_start: postgres_cpu(&server.database_url),
        }
    }

    /// "CPU time: client 0.41 s, server 0.62 s, PostgreSQL 0.30 s"
    fn stop(self) -> String {
        format!(
            "CPU time: client {:.2} s, server {:.2} s, PostgreSQL {:.2} s",
            cpu_seconds(std::process::id()) - self.client,
            cpu_seconds(self.server) - self.server_start,
            postgres_cpu_since(&self.postgres_start, &self.database_url)
        )
    }
}

/// Scenario 2: ~100,000 demo records on the server (see `seed.rs`); a fresh device of the
/// admin, who sees them all, pulls them.
pub fn hundred_thousand(
    server: &Server,
    dir: &Path,
    size: DemoSize,
    rows: &mut Vec<Row>,
    extra: &mut serde_json::Map<String, serde_json::Value>,
) {
    let seeded = seed::seed(server, dir, size, ADMIN);
    let records = seeded.records;
    println!(
        "  demo data: {records} records, generated in {:.1} s, pushed in {:.1} s {}",
        seeded.generate.as_secs_f64(),
        seeded.push.as_secs_f64(),
        serde_json::to_string(&seeded.summary).unwrap_or_default()
    );
    extra.insert("demo_summary".into(), json!(seeded.summary));
    let r = row(
        "2",
        format!("seed: push {records} records (not a target)"),
        seeded.push.as_secs_f64(),
        "s",
    );
    rows.push(detail(
        r,
        format!(
            "{:.0} records/s; {} push requests of up to 500 from {} devices, one after another",
            records as f64 / seeded.push.as_secs_f64(),
            seeded.push_requests,
            seeded.devices
        ),
    ));

    let db = dir.join("fresh.db");
    let args = [
        "pull-child".to_string(),
        server.base.clone(),
        ADMIN.to_string(),
        db.display().to_string(),
    ];
    let server_cpu = cpu_seconds(server.pid);
    let pg_cpu = postgres_cpu(&server.database_url);
    let (report, (memory, client_cpu)) = run_child(&args, Duration::from_secs(300), |pid| {
        (Memory::of(pid), cpu_seconds(pid))
    });
    let server_cpu = cpu_seconds(server.pid) - server_cpu;
    let pg_cpu = postgres_cpu_since(&pg_cpu, &server.database_url);
    let seconds = report["total_ms"].as_f64().expect("total_ms") / 1e3;
    let pulled = report["pulled"].as_u64().expect("pulled") as usize;
    assert_eq!(pulled, records, "the fresh client pulls every record");
    let r = row(
        "2",
        format!("initial pull of {pulled} records into a fresh client (own process, file store)"),
        seconds,
        "s",
    );
    rows.push(detail(
        below(r, 8.0),
        format!(
            "{} pull req. {:.0} ms (wire incl. server), client {:.0} ms; CPU time: client \
             {client_cpu:.1} s, server {server_cpu:.1} s, PostgreSQL {pg_cpu:.1} s",
            report["pulls"],
            report["wire_ms"].as_f64().unwrap_or(f64::NAN),
            report["local_ms"].as_f64().unwrap_or(f64::NAN)
        ),
    ));
    let r = row(
        "2",
        "peak memory of that pulling client (VmHWM)".into(),
        memory.peak_mb,
        "MB",
    );
    rows.push(detail(
        below(r, 100.0),
        format!(
            "read from /proc/<pid>/status after the pull; RSS then {:.1} MB",
            memory.rss_mb
        ),
    ));
    extra.insert("pull_child".into(), report);
}

/// Scenarios 1 and 3: a CAM's two devices.
pub fn two_devices(server: &Server, dir: &Path, sizes: &Sizes, rows: &mut Vec<Row>) {
    let mut a = Client::sign_in(&server.base, CAM, Some(&dir.join("cam-a.db"))).expect("A");
    a.sync().expect("A's first sync");
    let partner = new_partner(&mut a.store, "Bench Partner A", CAM);
    a.sync().expect("A pushes the partner");
    new_notes(&mut a.store, &partner, CAM, sizes.notes, 1);

    let cpu = Cpu::start(server);
    let push = a.sync().expect("A pushes the notes");
    let push_cpu = cpu.stop();
    assert_eq!(push.report.applied, sizes.notes, "every note applies");
    let r = row(
        "1",
        format!("push {} new notes from A (`sync_once`)", sizes.notes),
        push.total.as_secs_f64(),
        "s",
    );
    rows.push(detail(
        below(r, 1.0),
        format!(
            "includes pulling its own {} back; {}; {push_cpu}",
            push.report.pulled,
            breakdown(&push)
        ),
    ));

    let mut b = Client::sign_in(&server.base, CAM, Some(&dir.join("cam-b.db"))).expect("B");
    let cpu = Cpu::start(server);
    let pull = b.sync().expect("B's initial pull");
    let pull_cpu = cpu.stop();
    assert_eq!(
        pull.report.pulled,
        sizes.notes + 1,
        "B gets the partner and notes"
    );
    let r = row(
        "1",
        format!(
            "initial pull of {} records into fresh client B",
            pull.report.pulled
        ),
        pull.total.as_secs_f64(),
        "s",
    );
    rows.push(detail(
        below(r, 1.0),
        format!("{}; {pull_cpu}", breakdown(&pull)),
    ));

    // Scenario 3: nothing to do.
    let mut idle = Vec::new();
    for _ in 0..sizes.noop_runs {
        let t = b.sync().expect("an idle sync");
        assert_eq!(t.report.pulled + t.report.pushed, 0, "nothing to do");
        idle.push(t.total);
    }
    let s = Stats::of(&idle);
    for (what, value) in [("median", s.p50), ("p95", s.p95)] {
        let r = row(
            "3",
            format!("sync with nothing to do, {what} of {}", s.samples),
            value,
            "ms",
        );
        rows.push(detail(
            below(r, 10.0),
            format!(
                "one pull request and the sync-status write; min {:.2}, max {:.2} ms",
                s.min, s.max
            ),
        ));
    }

    // Scenario 3: 100 edits on A, pulled by B.
    let ids: Vec<String> = list_notes(
        a.store.read(),
        &NoteQuery {
            partner: Some(partner.id.clone()),
            limit: sizes.edits,
            ..NoteQuery::default()
        },
    )
    .expect("A's notes")
    .notes
    .into_iter()
    .map(|n| n.id)
    .collect();
    assert_eq!(ids.len(), sizes.edits);
    let (mut pushes, mut pulls, mut both) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..sizes.edit_rounds {
        for id in &ids {
            let edit = NoteEdit {
                note: id.clone(),
                body: Some(format!(
                    "Edited in round {round}: they want a second workshop."
                )),
                ..NoteEdit::default()
            };
            update_note(&mut a.store, &edit).expect("edit a note");
        }
        let push = a.sync().expect("A pushes the edits");
        assert_eq!(push.report.applied, ids.len());
        let pull = b.sync().expect("B pulls the edits");
        assert_eq!(pull.report.pulled, ids.len());
        both.push(push.total + pull.total);
        pushes.push(push.total);
        pulls.push(pull.total);
    }
    let (push, pull, all) = (Stats::of(&pushes), Stats::of(&pulls), Stats::of(&both));
    for (what, value, part) in [
        ("median", all.p50, (push.p50, pull.p50)),
        ("p95", all.p95, (push.p95, pull.p95)),
    ] {
        let r = row(
            "3",
            format!(
                "{} edits: A's sync (push) + B's sync (pull), {what} of {}",
                sizes.edits, all.samples
            ),
            value,
            "ms",
        );
        rows.push(detail(
            below(r, 50.0),
            format!(
                "A's sync {:.1} ms + B's sync {:.1} ms ({what}s of each)",
                part.0, part.1
            ),
        ));
    }
}
