//! The refresh token's home: a real Secret Service (gnome-keyring) on a private D-Bus session
//! that this test starts and stops itself.

use cdesk_client::{KeyringSecrets, SecretStore};
use cdesk_testkit::secret_service::SecretService;

#[test]
fn the_refresh_token_lives_in_the_os_keyring() {
    let service = SecretService::start();
    // This test binary holds this one test, so changing the environment races with nothing.
    service.use_in_this_process();
    let secrets = KeyringSecrets;
    let account = "https://desk.example.com|cam@vendor.example";

    secrets.set(account, "first-token").unwrap();
    assert_eq!(
        secrets.get(account).unwrap().as_deref(),
        Some("first-token")
    );
    secrets.set(account, "rotated-token").unwrap();
    assert_eq!(
        secrets.get(account).unwrap().as_deref(),
        Some("rotated-token"),
        "rotation replaces"
    );
    assert_eq!(
        secrets
            .get("https://desk.example.com|other@vendor.example")
            .unwrap(),
        None
    );
    secrets.delete(account).unwrap();
    assert_eq!(secrets.get(account).unwrap(), None, "signed out: gone");
    secrets.delete(account).expect("deleting twice is fine");

    // The start check passes on the real store: keyring's Secret Service backend is compiled
    // in (a mock would lose the write between two entries).
    cdesk_client::self_check(&secrets).expect("the Secret Service keeps what is written");

    // The keyring daemon crashes and the session starts it again: what was kept is still
    // there, and the calls made meanwhile wait for it instead of failing.
    secrets.set(account, "kept-token").unwrap();
    service.kill_keyring_daemon();
    assert_eq!(
        secrets.get(account).unwrap().as_deref(),
        Some("kept-token"),
        "read through the restart"
    );
    assert_eq!(service.restarts(), 1);
    secrets.delete(account).unwrap();
}
