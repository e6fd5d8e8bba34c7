//! The refresh token's home: a real Secret Service (gnome-keyring) on a private D-Bus session
//! that this test starts and stops itself.

use std::time::{Duration, Instant};

use cdesk_client::{KeyringSecrets, SecretStore};
use cdesk_testkit::secret_service::SecretService;

#[test]
fn the_refresh_token_lives_in_the_os_keyring() {
    let mut service = SecretService::start();
    // This test binary holds this one test, so changing the environment races with nothing.
    service.use_in_this_process();
    let secrets = KeyringSecrets;
    let account = "https://desk.example.com|cam@vendor.example";

    // Wait (bounded; a loaded CI machine is slow) until the daemon serves on the bus.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        match secrets.set(account, "first-token") {
            Ok(()) => break,
            Err(e) => {
                if let Err(dead) = service.check_alive() {
                    panic!("{dead} before serving: {e}");
                }
                assert!(
                    Instant::now() < deadline,
                    "the Secret Service never came up: {e}"
                );
                std::thread::yield_now();
            }
        }
    }
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
}
