//! A private, unlocked Secret Service for a whole desktop end-to-end run: the app keeps its
//! database key in it. Prints the environment a process needs to use it, one `NAME=value` line
//! each, then `ready`; runs until its standard input closes.
//!
//! Usage (built by `cargo test --workspace`, as an example; scripts/test-e2e.sh starts it):
//! `cdesk-e2e-keyring`

use std::io::{Read, Write};

use cdesk_testkit::secret_service::SecretService;

fn main() {
    let keyring = SecretService::start();
    let mut out = std::io::stdout();
    for (name, value) in keyring.env() {
        writeln!(out, "{name}={value}").expect("stdout");
    }
    writeln!(out, "ready").expect("stdout");
    out.flush().expect("stdout");
    // Until the script closes our input (or dies, which closes it too).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(keyring);
}
