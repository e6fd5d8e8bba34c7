#!/usr/bin/env bash
# The UI's checks: component tests (Vitest), lint (ESLint), types (svelte-check).
set -euo pipefail
cd "$(dirname "$0")/../ui"
npm ci --no-audit --no-fund
npm test
npm run lint
npm run check
