# Channel Desk: the two commands.
#   make run   build and launch Channel Desk on its local database
#   make test  every test suite, with lints
# Both install what they need first (scripts/ensure-deps.sh).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
# CI machines have 2 cores; keep the test binaries' own parallelism at the core count.
export RUST_BACKTRACE ?= 1

.PHONY: run test deps deps-test lint test-rust bench fmt

run: deps
	$(CARGO) build --release -p cdesk-cli
	./target/release/cdesk

deps:
	@scripts/ensure-deps.sh build

deps-test:
	@scripts/ensure-deps.sh test

test: deps-test lint test-rust
	@echo "make test: all suites passed"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

test-rust:
	$(CARGO) test --workspace --locked

bench:
	$(CARGO) bench -p cdesk-core --bench core

fmt:
	$(CARGO) fmt --all
