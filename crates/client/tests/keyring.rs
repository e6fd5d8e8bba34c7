//! The refresh token's home: a real Secret Service (gnome-keyring) on a private D-Bus session
//! that this test starts and stops itself.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cdesk_client::{KeyringSecrets, SecretStore};

struct Daemons {
    bus: Child,
    keyring: Child,
    _home: tempfile::TempDir,
}

impl Drop for Daemons {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.bus.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.wait();
    }
}

/// Starts a session bus and an unlocked gnome-keyring on it, and points this process at it.
fn start_secret_service() -> Daemons {
    let home = tempfile::tempdir().unwrap();
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon (Debian package dbus) is installed");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    let address = address.trim().to_string();
    assert!(address.starts_with("unix:"), "bus address {address:?}");
    // This test binary holds this one test, so changing the environment races with nothing.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    std::env::set_var("XDG_DATA_HOME", home.path());
    std::env::set_var("XDG_RUNTIME_DIR", home.path());

    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--components=secrets", "--unlock"])
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .env("HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon (Debian package gnome-keyring) is installed");
    // The login keyring's password, then end of input.
    let mut stdin = keyring.stdin.take().unwrap();
    stdin.write_all(b"test-keyring-password").unwrap();
    drop(stdin);
    Daemons {
        bus,
        keyring,
        _home: home,
    }
}

#[test]
fn the_refresh_token_lives_in_the_os_keyring() {
    let _daemons = start_secret_service();
    let secrets = KeyringSecrets;
    let account = "https://desk.example.com|cam@vendor.example";

    // Wait (bounded) until the daemon has claimed its name on the bus.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match secrets.set(account, "first-token") {
            Ok(()) => break,
            Err(_) if Instant::now() < deadline => std::thread::yield_now(),
            Err(e) => panic!("the Secret Service never came up: {e}"),
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
}
