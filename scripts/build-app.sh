#!/usr/bin/env bash
# Builds the desktop app: the UI (ui/dist, `npm ci` when node_modules is missing) and the
# release binary with the UI inside it (feature custom-protocol, as `cargo tauri build` does).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ui/node_modules ]; then
  npm --prefix ui ci --no-audit --no-fund
fi
npm --prefix ui run build
cargo build --release --locked -p channel-desk --features custom-protocol
