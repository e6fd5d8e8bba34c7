//! A real Secret Service (gnome-keyring) on a private D-Bus session bus, for tests of the
//! keyring path. Processes that should use it get [`SecretService::env`] in their environment.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
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

/// The running bus and keyring daemons; both stop when this is dropped. Like a desktop
/// session (where D-Bus activation would restart it), the keyring daemon is started again, on
/// the same persisted login keyring, if it exits while in use: a test then sees what an app
/// sees when the keyring restarts under it, and stderr says that it happened and why.
pub struct SecretService {
    bus: Child,
    keyring: Arc<Mutex<Child>>,
    stopping: Arc<AtomicBool>,
    restarts: Arc<AtomicUsize>,
    supervisor: Option<JoinHandle<()>>,
    address: String,
    home: tempfile::TempDir,
}

/// The login keyring's password (fed to `--unlock` on every start).
const KEYRING_PASSWORD: &[u8] = b"test-keyring-password";

fn lock(child: &Mutex<Child>) -> MutexGuard<'_, Child> {
    // A panic while holding the lock leaves a Child, which is still usable.
    child.lock().unwrap_or_else(|p| p.into_inner())
}

/// Starts `gnome-keyring-daemon`, its output appended to `log`, and unlocks (or, on the first
/// start, creates) the login keyring under `home`.
fn spawn_keyring(address: &str, home: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("open the keyring daemon's log");
    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--components=secrets", "--unlock"])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("XDG_RUNTIME_DIR", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("gnome-keyring-daemon (Debian package gnome-keyring) is installed");
    let mut stdin = keyring.stdin.take().expect("piped");
    stdin.write_all(KEYRING_PASSWORD).expect("write password");
    drop(stdin);
    keyring
}

/// Waits (bounded) until someone owns `org.freedesktop.secrets` on the bus at `address`;
/// `alive` says whether the daemon that should is still running (`Err` once it exited).
fn wait_until_serving(address: &str, mut alive: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus"])
            .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner"])
            .arg("string:org.freedesktop.secrets")
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .output()
            .expect("dbus-send (Debian package dbus-bin) is installed");
        if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
            return;
        }
        if let Err(dead) = alive() {
            panic!("{dead} before it served on the bus");
        }
        assert!(
            Instant::now() < deadline,
            "gnome-keyring-daemon did not serve on the bus within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn exit_of(child: &mut Child) -> Result<(), String> {
    match child.try_wait() {
        Ok(Some(status)) => Err(format!("gnome-keyring-daemon exited: {status}")),
        _ => Ok(()),
    }
}

/// The last lines of the keyring daemon's log, for a message about its exit.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Starts the keyring daemon again whenever it has exited, until `stopping`.
fn supervise(
    keyring: &Mutex<Child>,
    stopping: &AtomicBool,
    restarts: &AtomicUsize,
    address: &str,
    home: &Path,
) {
    let log = home.join("gnome-keyring.log");
    while !stopping.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
        let mut child = lock(keyring);
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        if let Err(exit) = exit_of(&mut child) {
            eprintln!(
                "testkit: {exit}; starting it again, as a desktop session would. Its log:\n{}",
                log_tail(&log)
            );
            *child = spawn_keyring(address, home, &log);
            restarts.fetch_add(1, Ordering::SeqCst);
            wait_until_serving(address, || exit_of(&mut child));
        }
    }
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
        let log = home.path().join("gnome-keyring.log");
        let mut keyring = spawn_keyring(&address, home.path(), &log);
        wait_until_serving(&address, || exit_of(&mut keyring));
        let keyring = Arc::new(Mutex::new(keyring));
        let stopping = Arc::new(AtomicBool::new(false));
        let restarts = Arc::new(AtomicUsize::new(0));
        let supervisor = {
            let (keyring, stopping) = (keyring.clone(), stopping.clone());
            let (restarts, address) = (restarts.clone(), address.clone());
            let home = home.path().to_path_buf();
            std::thread::spawn(move || supervise(&keyring, &stopping, &restarts, &address, &home))
        };
        SecretService {
            bus,
            keyring,
            stopping,
            restarts,
            supervisor: Some(supervisor),
            address,
            home,
        }
    }

    /// Kills the keyring daemon (SIGKILL), as a crash would; the supervisor starts it again.
    pub fn kill_keyring_daemon(&self) {
        let mut child = lock(&self.keyring);
        child.kill().expect("kill the keyring daemon");
        let _ = child.wait();
    }

    /// How many times the keyring daemon was started again after it exited.
    pub fn restarts(&self) -> usize {
        self.restarts.load(Ordering::SeqCst)
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
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(supervisor) = self.supervisor.take() {
            let _ = supervisor.join();
        }
        let mut keyring = lock(&self.keyring);
        let _ = keyring.kill();
        let _ = self.bus.kill();
        let _ = keyring.wait();
        let _ = self.bus.wait();
    }
}
