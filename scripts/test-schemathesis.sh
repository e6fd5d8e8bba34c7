#!/usr/bin/env bash
# Schemathesis against the real cdesk-server binary and a real PostgreSQL: it generates requests
# from /openapi.json and fails on any 5xx (crates/server/tests/api/schemathesis.rs).
# scripts/ensure-deps.sh test installs schemathesis into .venv.
#
#   CDESK_SCHEMATHESIS_EXAMPLES=300 CDESK_SCHEMATHESIS_SEED=7 scripts/test-schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."
schemathesis="$PWD/.venv/bin/schemathesis"
if [ ! -x "$schemathesis" ]; then
  echo "test-schemathesis: $schemathesis is missing; run scripts/ensure-deps.sh test" >&2
  exit 1
fi
read -ra cargo <<< "${CARGO:-cargo}"  # may carry options, e.g. CARGO="cargo -j 2"
CDESK_SCHEMATHESIS="$schemathesis" exec "${cargo[@]}" test -p cdesk-server --locked \
  --test api -- --ignored schemathesis --nocapture
