//! A real Secret Service (gnome-keyring) on a private D-Bus session bus, for tests of the
//! keyring path. Processes that should use it get [`SecretService::env`] in their environment.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// The running bus and keyring daemons; both stop when this is dropped.
pub struct SecretService {
    bus: Child,
    keyring: Child,
    address: String,
    home: tempfile::TempDir,
}

impl SecretService {
    /// Starts `dbus-daemon --session` and an unlocked `gnome-keyring-daemon` on it.
    pub fn start() -> SecretService {
        let home = tempfile::tempdir().expect("temp dir");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian package dbus) is installed");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("piped"))
            .read_line(&mut address)
            .expect("the bus prints its address");
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "bus address {address:?}");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path())
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (Debian package gnome-keyring) is installed");
        // The new login keyring's password, then end of input.
        let mut stdin = keyring.stdin.take().expect("piped");
        stdin
            .write_all(b"test-keyring-password")
            .expect("write password");
        drop(stdin);
        SecretService {
            bus,
            keyring,
            address,
            home,
        }
    }

    /// The environment a process needs to use this keyring.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let home = self.home.path().display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("XDG_RUNTIME_DIR", home),
        ]
    }

    /// Points this process at the keyring (for a test binary that runs only keyring tests).
    pub fn use_in_this_process(&self) {
        for (key, value) in self.env() {
            std::env::set_var(key, value);
        }
    }

    /// Whether the keyring daemon is still running (`Err` with its exit status if not).
    pub fn check_alive(&mut self) -> Result<(), String> {
        match self.keyring.try_wait() {
            Ok(Some(status)) => Err(format!("gnome-keyring-daemon exited: {status}")),
            _ => Ok(()),
        }
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.bus.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.wait();
    }
}
