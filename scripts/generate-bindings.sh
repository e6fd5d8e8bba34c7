#!/usr/bin/env bash
# Regenerates ui/src/lib/bindings.ts from the Rust commands (tauri-specta). Commit the result:
# the test `bindings::tests::committed_bindings_are_fresh` fails while it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
CDESK_WRITE_BINDINGS=1 cargo test -p channel-desk --lib bindings::tests::committed_bindings_are_fresh
