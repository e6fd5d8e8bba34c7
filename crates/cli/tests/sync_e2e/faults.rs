//! Nothing lost, nothing applied twice: SIGKILLed syncs, a misbehaving network, a server that
//! dies mid-push.

use super::*;
use cdesk_core::domain::CallNote;
use cdesk_core::store::Store;
use cdesk_testkit::proxy::{FaultProxy, Mode};

/// Adds `n` notes on Acme straight into the profile's database (fast; same outbox path).
fn bulk_notes(l: &Laptop, prefix: &str, n: usize) {
    let mut store = l.store();
    let acme = store.read().resolve_partner("Acme").unwrap();
    store
        .write(|w| {
            for i in 0..n {
                let mut note = CallNote::new(&format!("{prefix} {i}"), "bulk", CAM);
                note.partner_id = Some(acme.id.clone());
                w.put(&note)?;
            }
            Ok(())
        })
        .unwrap();
}

fn cli_note(l: &Laptop, title: &str) {
    note_on_acme(l, title, "between kills");
}

/// The server holds every note of `l` exactly once and applied all of its mutations.
fn assert_exactly_once(server: &Server, l: &Laptop, notes: i64) {
    assert_eq!(l.pending(), 0, "the outbox is empty");
    assert_eq!(
        server.scalar("SELECT count(*) FROM records WHERE kind = 'call_note' AND NOT deleted"),
        notes,
        "every note on the server"
    );
    let titles = server
        .scalar("SELECT count(DISTINCT fields->>'title') FROM records WHERE kind = 'call_note'");
    assert_eq!(titles, notes, "no note twice under another id");
    assert_eq!(server.scalar("SELECT count(*) FROM rejected_mutations"), 0);
    assert_eq!(
        server.scalar("SELECT max(last_mutation_id) FROM devices"),
        l.mutations_made(),
        "the device's mutations were all applied, in order"
    );
    assert_eq!(server.scalar("SELECT count(*) FROM devices"), 1);
}

/// A fresh profile of the same user pulls exactly the same notes.
fn assert_fresh_pull(server: &Server, keyring: &SecretService, l: &Laptop, notes: usize) {
    let fresh = Laptop::new(keyring, CAM);
    fresh.login(&server.url(), CAM);
    fresh.sync();
    let (partners, pulled) = fresh.snapshot();
    assert_eq!(pulled.as_array().map(Vec::len), Some(notes));
    assert_eq!((partners, pulled), l.snapshot());
}

#[test]
fn sigkilled_syncs_lose_nothing_and_apply_nothing_twice() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let l = Laptop::new(&keyring, CAM);
    add_acme(&l);
    bulk_notes(&l, "Initial", 300);
    let mut notes = 300;
    l.login(&server.url(), CAM);

    // Kill at varied moments (start-up, sign-in, push, pull) until 50 kills have hit a running
    // sync; the delays cycle through 0..240 ms, and the outbox is refilled now and then so that
    // there is a long push to interrupt.
    const WANTED: u32 = 50;
    let (mut kills, mut live_kills) = (0u64, 0u32);
    while live_kills < WANTED {
        assert!(
            kills < 200,
            "only {live_kills} of {kills} kills hit a running sync"
        );
        let mut child = l.spawn(&["sync"]);
        std::thread::sleep(Duration::from_millis((kills * 37) % 240));
        if child.try_wait().unwrap().is_none() {
            live_kills += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        cli_note(&l, &format!("Between {kills}"));
        notes += 1;
        if kills % 8 == 7 {
            bulk_notes(&l, &format!("Batch {kills}"), 150);
            notes += 150;
        }
        kills += 1;
    }
    eprintln!("{live_kills} of {kills} SIGKILLs hit a running `cdesk sync`");

    l.sync();
    assert_exactly_once(&server, &l, notes);
    assert_fresh_pull(&server, &keyring, &l, notes as usize);
}

/// One sync through the proxy in `mode`: it succeeds with an empty outbox, or fails cleanly
/// with the outbox as it was.
fn faulty_sync(l: &Laptop, proxy: &FaultProxy, mode: Mode) -> bool {
    proxy.set_mode(mode);
    let before = l.pending();
    let out = l.run(&["sync"]);
    let after = l.pending();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{mode:?}: fails cleanly: {err}");
    if out.status.success() {
        assert_eq!(after, 0, "{mode:?}: a successful sync pushed everything");
    } else {
        assert!(
            after == before || after == 0,
            "{mode:?}: a failed sync keeps its outbox whole ({before} -> {after})"
        );
    }
    out.status.success()
}

/// Drop and Delay through the real CLI (every `cdesk sync` process also refreshes its token
/// through the proxy).
#[test]
fn a_dropping_or_slow_network_loses_and_duplicates_nothing() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let l = Laptop::new(&keyring, CAM);
    add_acme(&l);
    l.login(&proxy.url(), CAM);
    let mut notes = 0;
    for (round, mode) in [
        Mode::Drop,
        Mode::Delay(Duration::from_millis(300)),
        Mode::Drop,
        Mode::Delay(Duration::from_millis(20)),
    ]
    .into_iter()
    .enumerate()
    {
        bulk_notes(&l, &format!("Round {round}"), 40);
        notes += 40;
        let before = l.pending();
        let ok = faulty_sync(&l, &proxy, mode);
        if mode == Mode::Drop {
            assert!(!ok, "nothing gets through a dropped connection");
            assert_eq!(l.pending(), before);
        } else {
            assert!(ok, "a slow network is still a network");
        }
    }
    proxy.set_mode(Mode::Pass);
    l.sync();
    assert_exactly_once(&server, &l, notes);
}

/// Truncated answers (and drops and delays) on the refresh, push and pull requests, through the
/// client library (small batches, so there are many requests to cut).
#[test]
fn truncated_answers_lose_and_duplicate_nothing() {
    use cdesk_core::sync::{sync_once, SyncOptions};

    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let secrets = SharedSecrets::default();
    sign_in(&proxy.url(), CAM, "laptop", &secrets);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("desk.db")).unwrap();
    // Pulled pages are applied two at a time: a cut can land between pages that wait together.
    let options = SyncOptions {
        push_batch: 25,
        pull_page: 30,
        apply_batch: 60,
    };
    let acme = cdesk_core::domain::Partner::new(
        "Acme",
        cdesk_core::domain::Track::Open,
        cdesk_core::domain::Region::Emea,
        CAM,
    );
    store.write(|w| w.put(&acme).map(|_| ())).unwrap();
    let mut notes = 0i64;
    let mut failures = 0;
    let modes = [
        Mode::Truncate(0),
        Mode::Truncate(100),
        Mode::Truncate(400),
        Mode::Truncate(1500),
        Mode::Truncate(5000),
        Mode::Truncate(20000),
        Mode::Drop,
        Mode::Delay(Duration::from_millis(50)),
    ];
    for (round, mode) in modes.into_iter().enumerate() {
        store
            .write(|w| {
                for i in 0..60 {
                    let mut note = CallNote::new(&format!("Round {round} {i}"), "cut", CAM);
                    note.partner_id = Some(acme.id.clone());
                    w.put(&note)?;
                }
                Ok(())
            })
            .unwrap();
        notes += 60;
        proxy.set_mode(mode);
        let before = store.read().sync_status().unwrap().pending;
        // A new session: new connections through the proxy, and a token refresh through it.
        let mut session = resume(&proxy.url(), CAM, &secrets);
        let result = sync_once(&mut store, &mut session, options);
        let after = store.read().sync_status().unwrap().pending;
        match &result {
            Ok(_) => assert_eq!(after, 0, "{mode:?}: success pushed everything"),
            Err(e) => {
                failures += 1;
                assert!(
                    e.is_transient(),
                    "{mode:?}: a network fault is transient: {e}"
                );
                assert!(after <= before, "{mode:?}: the outbox never grows");
                // What is still pending is exactly what the server never acknowledged.
                assert_eq!(
                    after,
                    store.read().pending_mutations(100_000).unwrap().len() as i64
                );
            }
        }
        if matches!(mode, Mode::Truncate(0) | Mode::Drop) {
            assert!(result.is_err(), "{mode:?} cannot succeed");
            assert_eq!(after, before, "{mode:?}: nothing was acknowledged");
        }
    }
    assert!(failures >= 4, "the faults bit: {failures} failed syncs");
    proxy.set_mode(Mode::Pass);
    let mut session = resume(&proxy.url(), CAM, &secrets);
    sync_once(&mut store, &mut session, options).expect("sync on a quiet network");
    assert_eq!(store.read().sync_status().unwrap().pending, 0);
    assert_eq!(
        server.scalar("SELECT count(*) FROM records WHERE kind = 'call_note' AND NOT deleted"),
        notes
    );
    assert_eq!(
        server.scalar(
            "SELECT count(DISTINCT fields->>'title') FROM records WHERE kind = 'call_note'"
        ),
        notes
    );
    assert_eq!(server.scalar("SELECT count(*) FROM rejected_mutations"), 0);
    assert_eq!(
        server.scalar("SELECT max(last_mutation_id) FROM devices"),
        notes + 1,
        "Acme and every note applied, each once"
    );
    assert_eq!(store.read().note_count().unwrap(), notes);
}

/// A regression test for a bug these tests found: when the answer to a token refresh was lost
/// in transit (here: cut by the proxy; or `cdesk sync` killed before storing it), the server had
/// already spent the old refresh token, the client still held only that one, and presenting it
/// again revoked the whole token family as a stolen copy: one bad connection signed the person
/// out. The server now lets the holder retry with it (see `tokens::is_retry`).
#[test]
fn a_truncated_refresh_answer_does_not_sign_the_device_out() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let proxy = FaultProxy::start(server.addr()).unwrap();
    let l = Laptop::new(&keyring, CAM);
    add_acme(&l);
    l.login(&proxy.url(), CAM);
    bulk_notes(&l, "Cut", 40);
    // The first request of a `cdesk sync` process is the refresh; its answer is cut.
    assert!(!faulty_sync(&l, &proxy, Mode::Truncate(100)));
    proxy.set_mode(Mode::Pass);
    l.sync();
    assert_exactly_once(&server, &l, 40);
}

#[test]
fn a_server_restarted_mid_push_applies_everything_exactly_once() {
    let mut server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let l = Laptop::new(&keyring, CAM);
    add_acme(&l);
    l.login(&server.url(), CAM);
    l.sync();
    bulk_notes(&l, "Big", 2000);

    let mut child = l.spawn(&["sync"]);
    let count = || server.scalar("SELECT count(*) FROM records WHERE kind = 'call_note'");
    // The first batch of 500 is in; the rest is not.
    wait_for("the first push batch", Duration::from_secs(60), || {
        count() > 0
    });
    let at_stop = count();
    server.restart();
    let status = child.wait().unwrap();
    assert!(
        at_stop < 2000,
        "the server was stopped mid-push ({at_stop} of 2000 in)"
    );
    eprintln!("server restarted with {at_stop} of 2000 notes in; the sync exited {status}");

    l.sync();
    assert_exactly_once(&server, &l, 2000);
}
