#!/usr/bin/env bash
# `make run`: builds and launches Channel Desk on the same database as the `cdesk` CLI
# (CDESK_DATA_DIR overrides the data directory).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-app.sh
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/channel-desk"
