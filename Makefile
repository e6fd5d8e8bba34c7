# Channel Desk: the two commands.
#   make run   build and launch Channel Desk on its local database
#   make test  every test suite, with lints
# Both install what they need first (scripts/ensure-deps.sh).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
# CI machines have 2 cores; keep the test binaries' own parallelism at the core count.
export RUST_BACKTRACE ?= 1
# A clean CI build gains nothing from incremental caches but their disk space.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif
# Each test stage says how long it took (the CI budget is 45 minutes on 2 cores).
TIMED = TIMEFORMAT="[time] $@: %0R s wall, %0U s user"; time

.PHONY: docs run test deps deps-test ui lint test-rust test-windows check-macos test-fuzz test-api test-ui test-e2e bench bench-desktop fmt

run: deps
	scripts/run-app.sh

deps:
	@scripts/ensure-deps.sh build

deps-test:
	@$(TIMED) scripts/ensure-deps.sh test

test: deps-test ui lint test-rust test-windows check-macos test-fuzz test-api test-ui test-e2e
	@echo "make test: all suites passed"

# The UI bundle the desktop app embeds (the Rust build needs ui/dist to exist).
ui:
	npm --prefix ui ci --no-audit --no-fund
	$(TIMED) npm --prefix ui run build

lint:
	$(CARGO) fmt --all -- --check
	$(TIMED) $(CARGO) clippy --workspace --all-targets --locked -- -D warnings

test-rust:
	$(TIMED) $(CARGO) test --workspace --locked

# `cdesk` cross-built for Windows (x86_64-pc-windows-gnu) and its CLI scenario run under Wine,
# backup, restore and the Credential Manager included.
test-windows:
	$(TIMED) CARGO="$(CARGO)" scripts/test-windows.sh

# The core, the sync client and the CLI checked (compiled, not linked) for aarch64-apple-darwin,
# with zig's clang for the build scripts' C.
check-macos:
	$(TIMED) CARGO="$(CARGO)" scripts/check-macos.sh

# cargo-fuzz targets, each for a bounded time from the committed corpus (fuzz/).
test-fuzz:
	$(TIMED) CARGO="$(CARGO)" scripts/test-fuzz.sh

# Schemathesis against the real server binary: no generated request may get a 5xx.
test-api:
	$(TIMED) CARGO="$(CARGO)" scripts/test-schemathesis.sh

# Vitest component tests, ESLint, svelte-check.
test-ui:
	$(TIMED) scripts/test-ui.sh

# The real app under Xvfb, driven over WebDriver (tauri-driver + WebKitWebDriver). The desktop
# performance run goes at 5,000 notes here (its lists stay virtualized; its numbers are
# reports, not checks); `make bench-desktop` and `make docs` run it at 100,000.
test-e2e:
	$(TIMED) env CDESK_PERF_NOTES=$${CDESK_PERF_NOTES:-5000} scripts/test-e2e.sh

# The desktop performance run at 1,000 partners and 100,000 notes, into docs/perf.json.
bench-desktop:
	CDESK_PERF_OUT="$(CURDIR)/docs/perf.json" scripts/test-e2e.sh tests/e2e/perf.test.mjs

# The screenshots (docs/screenshots/) and desktop performance numbers (docs/perf.json) the
# README shows: the end-to-end tests, writing into docs/ (under `make test` they write to a
# scratch folder and leave the tree as it was).
docs:
	CDESK_SHOTS_DIR="$(CURDIR)/docs/screenshots" CDESK_PERF_OUT="$(CURDIR)/docs/perf.json" \
		scripts/test-e2e.sh

bench:
	$(CARGO) bench -p cdesk-core --bench core
	$(CARGO) bench -p cdesk-server --bench sync

fmt:
	$(CARGO) fmt --all
