#!/usr/bin/env bash
# End-to-end tests of the real app under Xvfb: tauri-driver + WebKitWebDriver drive the
# release build. Needs the Debian packages xvfb, webkit2gtk-driver (and the app's build
# packages) and `cargo install tauri-driver --locked`.
# With the real server (PostgreSQL, cdesk-server, a Secret Service: the testkit's
# example cdesk-e2e-stack): sign in,
# sync, and a second profile sees the note.
# Also measures start-to-interactive and memory with 1,000 partners and 100,000 notes.
# Arguments, when given, name the test files to run (default: all of tests/e2e/).
# The app keeps its database key in the OS keyring: the whole run gets a private, unlocked
# one (the testkit's example cdesk-e2e-keyring; the signed-in tests start their own).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
scripts/build-app.sh
# demo_db writes a plain database; the release cdesk encrypts it in place, as after an upgrade.
cargo build --release --locked -p cdesk-core --example demo_db -p cdesk-cli --bin cdesk
# The server side of the signed-in tests: the debug binaries `cargo test --workspace` builds
# (this is a no-op after it, and builds them with the same features when run alone).
cargo test --workspace --locked --no-run
target="${CARGO_TARGET_DIR:-target}"
export CDESK_APP="$PWD/$target/release/channel-desk"
case "$target" in /*) export CDESK_APP="$target/release/channel-desk" ;; esac
export CDESK_DEMO_DB="${CDESK_APP%/channel-desk}/examples/demo_db"
export CDESK_CLI="${CDESK_APP%/channel-desk}/cdesk"
debug="${CDESK_APP%/release/channel-desk}/debug"
export CDESK_SERVER_BIN="$debug/cdesk-server" CDESK_E2E_STACK="$debug/examples/cdesk-e2e-stack"
coproc KEYRING { "$debug/examples/cdesk-e2e-keyring"; }
keyring_in="${KEYRING[1]}"
while read -r line <&"${KEYRING[0]}" && [ "$line" != ready ]; do
  export "${line?}"
done
# One display for the whole run; the tests run one after the other (one app at a time).
status=0
xvfb-run -a -s "-screen 0 1440x900x24" \
  node --test --test-concurrency=1 "${@:-tests/e2e/}" || status=$?
eval "exec $keyring_in>&-"
wait || true
exit "$status"
