//! A real Secret Service (gnome-keyring) on a private D-Bus session bus, for tests of the
//! keyring path. Processes that should use it get [`SecretService::env`] in their environment.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A private session bus: anyone may talk to anyone, nothing is activated on demand.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

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
        // A session bus without service activation: a call made before our keyring daemon
        // owns its name must fail (and be retried), not start a second, locked keyring
        // daemon from /usr/share/dbus-1/services that then wins the name.
        let config = home.path().join("bus.conf");
        std::fs::write(&config, BUS_CONFIG).expect("write the bus config");
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
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
        let mut service = SecretService {
            bus,
            keyring,
            address,
            home,
        };
        service.wait_until_serving();
        service
    }

    /// Waits (bounded) until the keyring daemon owns `org.freedesktop.secrets` on the bus.
    fn wait_until_serving(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let reply = Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus"])
                .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner"])
                .arg("string:org.freedesktop.secrets")
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("dbus-send (Debian package dbus-bin) is installed");
            if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
                return;
            }
            if let Err(dead) = self.check_alive() {
                panic!("{dead} before it served on the bus");
            }
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not serve on the bus within 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
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

/// Serializes [`secret_in`]: it points this process's environment at one keyring at a time.
static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Reads the secret `service`/`account` from the keyring whose [`SecretService::env`] is `env`,
/// from this (test) process, as a program started with that environment would see it. The
/// keyring crate finds the bus through the environment, so this sets it for the call (under a
/// lock) and puts it back; only test binaries that start their programs with an explicit
/// environment may use it.
pub fn secret_in(env: &[(&'static str, String)], service: &str, account: &str) -> Option<String> {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let saved: Vec<_> = env.iter().map(|(k, _)| (*k, std::env::var_os(k))).collect();
    for (key, value) in env {
        std::env::set_var(key, value);
    }
    let found = keyring::Entry::new(service, account).and_then(|e| e.get_password());
    for (key, value) in saved {
        match value {
            Some(v) => std::env::set_var(key, v),
            None => std::env::remove_var(key),
        }
    }
    match found {
        Ok(secret) => Some(secret),
        Err(keyring::Error::NoEntry) => None,
        Err(e) => panic!("reading {account} from the test keyring: {e}"),
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
