//! Two laptops of one CAM (each with its own keyring) and the server, through the real CLI.

use super::*;
use cdesk_client::{KeyringSecrets, SecretStore};
use serde_json::json;

fn conflicts(l: &Laptop) -> Vec<Value> {
    l.json(&["conflicts", "list"]).as_array().unwrap().clone()
}

fn acme_notes(l: &Laptop) -> Value {
    let partners = l.json(&["partner", "list"]);
    let acme = partners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Acme")
        .expect("Acme is listed");
    acme["account_notes"].clone()
}

#[test]
fn two_laptops_edit_offline_converge_and_share_one_resolved_conflict() {
    let mut server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring_a = SecretService::start();
    let keyring_b = SecretService::start();
    let a = Laptop::new(&keyring_a, CAM);
    let b = Laptop::new(&keyring_b, CAM);
    let url = server.url();

    // A creates Acme and syncs it up; B signs in and pulls it.
    add_acme(&a);
    a.ok(&["partner", "edit", "Acme", "--notes", "base"]);
    a.login(&url, CAM);
    a.sync();
    b.login(&url, CAM);
    b.sync();
    assert_eq!(acme_notes(&b), "base");

    // Offline: both edit the account notes and log calls.
    server.stop();
    a.ok(&["partner", "edit", "Acme", "--notes", "from laptop A"]);
    b.ok(&["partner", "edit", "Acme", "--notes", "from laptop B"]);
    for (l, who) in [(&a, "A"), (&b, "B")] {
        for i in 0..3 {
            l.ok(&[
                "note",
                "add",
                "--partner",
                "Acme",
                "--title",
                &format!("Call {who}{i}"),
                "--body",
                "offline",
            ]);
        }
    }
    let pending_a = a.pending();
    assert!(pending_a >= 4, "edit + 3 notes wait on A: {pending_a}");
    let failed = a.run(&["sync"]);
    assert!(!failed.status.success(), "sync with the server down fails");
    assert_eq!(a.pending(), pending_a, "a failed sync keeps the outbox");

    // Back online: A then B, twice. Neither downloads its own changes again; each gets the
    // other's three notes and the partner the other edited.
    server.restart();
    let first_a = a.sync();
    assert_eq!(
        (&first_a["pushed"], &first_a["pulled"]),
        (&json!(4), &json!(0))
    );
    let first_b = b.sync();
    assert_eq!(
        (&first_b["pushed"], &first_b["pulled"]),
        (&json!(4), &json!(4))
    );
    let second_a = a.sync();
    assert_eq!(
        (&second_a["pushed"], &second_a["pulled"]),
        (&json!(0), &json!(4))
    );
    b.sync();
    assert_eq!(a.pending(), 0);
    assert_eq!(b.pending(), 0);
    assert_eq!(
        a.snapshot(),
        b.snapshot(),
        "both laptops hold the same data"
    );
    let (_, notes) = a.snapshot();
    assert_eq!(notes.as_array().map(Vec::len), Some(6), "{notes}");
    assert_eq!(acme_notes(&a), "from laptop B", "the later arrival wins");

    // The field-level conflict is visible on both.
    let ca = conflicts(&a);
    let cb = conflicts(&b);
    assert_eq!(ca.len(), 1, "{ca:?}");
    assert_eq!(ca, cb);
    assert_eq!(ca[0]["written_value"], "from laptop B");
    assert_eq!(ca[0]["overwritten_value"], "from laptop A");
    let id = ca[0]["id"].as_str().unwrap().to_string();

    // A keeps its own (overwritten) value; B gets it with its next sync.
    a.ok(&["conflicts", "resolve", &id, "--keep", "overwritten"]);
    assert_eq!(acme_notes(&a), "from laptop A");
    b.sync();
    a.sync();
    assert_eq!(acme_notes(&b), "from laptop A");
    assert!(conflicts(&a).is_empty());
    assert!(conflicts(&b).is_empty());
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(
        server.scalar("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"),
        0
    );

    // The refresh token: in the keyring, nowhere in the data directory.
    keyring_a.use_in_this_process();
    let account = format!("{url}|{CAM}");
    let token = KeyringSecrets
        .get(&account)
        .expect("keyring readable")
        .expect("laptop A's refresh token is in its keyring");
    assert!(
        token.starts_with("cdr_"),
        "a refresh token: {}",
        &token[..4]
    );
    for l in [&a, &b] {
        let bytes = l.all_bytes();
        assert!(!contains(&bytes, token.as_bytes()), "token on disk");
        assert!(!contains(&bytes, b"cdr_"), "a refresh token on disk");
    }

    // Logout revokes it on the server and removes it from the keyring.
    a.ok(&["logout"]);
    assert_eq!(
        KeyringSecrets.get(&account).expect("keyring readable"),
        None
    );
    assert!(!a.run(&["sync"]).status.success(), "signed out");
    assert_eq!(
        server.scalar("SELECT count(*) FROM token_families WHERE revoked_at IS NOT NULL"),
        1,
        "laptop A's session is revoked, B's is not"
    );
    b.sync();
}
