//! `cdesk` as a person or a script uses it: the built binary on a temporary data directory,
//! with "today" pinned to 2026-11-23.

mod backup;
mod calendar;
mod encryption;
mod errors;
mod help;
mod program;
mod records;
mod session;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use cdesk_testkit::secret_service::SecretService;
use serde_json::Value;

pub(crate) const TODAY: &str = "2026-11-23";

/// One temporary Channel Desk data directory, with a keyring of its own (a private Secret
/// Service) for the database key.
pub(crate) struct Desk {
    dir: tempfile::TempDir,
    keyring: SecretService,
}

impl Desk {
    pub(crate) fn new() -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
            keyring: SecretService::start(),
        }
    }

    /// What a process needs in its environment to use this desk's keyring.
    pub(crate) fn keyring_env(&self) -> Vec<(&'static str, String)> {
        self.keyring.env()
    }

    /// The database key cdesk keeps in this desk's keyring, if any.
    pub(crate) fn key_in_keyring(&self) -> Option<String> {
        let account = cdesk_client::database_key_account(&self.db()).unwrap()?;
        cdesk_testkit::secret_service::secret_in(
            &self.keyring.env(),
            cdesk_client::KEYRING_SERVICE,
            &account,
        )
    }

    pub(crate) fn db(&self) -> std::path::PathBuf {
        self.path().join("channel-desk.db")
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.run_on(TODAY, args)
    }

    /// Runs a command as if today were `today`.
    pub(crate) fn run_on(&self, today: &str, args: &[&str]) -> Output {
        self.command(today, args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs a command with `input` on its standard input.
    pub(crate) fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command(TODAY, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn command(&self, today: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cdesk"));
        command
            .arg("--data-dir")
            .arg(self.path())
            .args(["--today", today])
            .args(args)
            .env("CDESK_AUTHOR", "ae@vendor.example")
            .env_remove("CDESK_DATA_DIR")
            .env_remove("RUST_LOG")
            .envs(self.keyring.env());
        command
    }

    /// Runs a command that must succeed; returns its stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        self.ok_on(TODAY, args)
    }

    /// Runs a command that must succeed as if today were `today`; returns its stdout.
    pub(crate) fn ok_on(&self, today: &str, args: &[&str]) -> String {
        let out = self.run_on(today, args);
        assert!(
            out.status.success(),
            "cdesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command with --json that must succeed; returns the parsed output.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// Runs a command that must fail; returns its exit code and stderr.
    pub(crate) fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "cdesk {args:?} should fail");
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    pub(crate) fn outbox_pending(&self) -> i64 {
        self.json(&["summary"])["outbox_pending"].as_i64().unwrap()
    }

    /// Acme (Open track) with Ana and Bo certified in Sales Core.
    pub(crate) fn acme(&self) {
        self.ok(&[
            "partner",
            "add",
            "Acme",
            "--type",
            "var_vad,boutique_si",
            "--track",
            "open",
            "--region",
            "emea",
            "--owner",
            "cam@vendor.example",
        ]);
        for (name, email) in [
            ("Ana Lima", "ana@acme.example"),
            ("Bo Berg", "bo@acme.example"),
        ] {
            self.add_certified("Acme", name, email, "Sales Core", "2026-05-01");
        }
    }

    /// Adds a person to `partner`, certified in `cert` on `on`.
    pub(crate) fn add_certified(
        &self,
        partner: &str,
        name: &str,
        email: &str,
        cert: &str,
        on: &str,
    ) {
        self.ok(&[
            "person",
            "add",
            "--partner",
            partner,
            "--name",
            name,
            "--email",
            email,
        ]);
        self.ok(&[
            "cert",
            "add",
            "--partner",
            partner,
            "--person",
            email,
            "--cert",
            cert,
            "--status",
            "certified",
            "--completed",
            on,
        ]);
    }
}
