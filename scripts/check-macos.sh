#!/usr/bin/env bash
# macOS, as far as this Linux machine can prove it: `cargo check` of the core, the sync client
# and the CLI for aarch64-apple-darwin. Their Rust `cfg(target_os = "macos")` paths are compiled
# (keyring's Keychain backend, the platform data folders), and the build scripts' C (SQLCipher)
# is compiled with zig's clang (PyPI's `ziglang`) against zig's macOS libc headers.
#
# What it does not prove, and why: nothing is linked or run (there is no macOS SDK or machine
# here). The desktop app is not checked: its notification plugin compiles Objective-C against
# the SDK's Cocoa headers, which zig does not ship. OpenSSL is not built from source for the check (its macOS build needs the SDK's
# CommonCrypto headers): openssl-sys reads the system's headers instead, only to learn the
# version; a real macOS build vendors OpenSSL (crates/core/Cargo.toml). SQLCipher's logging to
# the macOS unified log (os/log.h, an SDK header) is compiled out for the check.
#
#   scripts/check-macos.sh        # CARGO and CARGO_TARGET_DIR are honoured
set -euo pipefail

cd "$(dirname "$0")/.."
CARGO="${CARGO:-cargo}"
TARGET=aarch64-apple-darwin
ZIG_VERSION=0.13.0
log() { echo "check-macos: $*"; }

if ! rustup target list --installed | grep -qx "$TARGET"; then
  log "adding the Rust target $TARGET"
  rustup target add "$TARGET"
fi
export ZIG_PYTHON="$PWD/.venv/bin/python"
if ! "$ZIG_PYTHON" -m ziglang version 2>/dev/null | grep -qx "$ZIG_VERSION"; then
  log "installing zig $ZIG_VERSION (PyPI's ziglang) into .venv"
  [ -x "$ZIG_PYTHON" ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "ziglang==$ZIG_VERSION"
fi

# OpenSSL's headers as one folder (Debian splits out the per-architecture configuration.h).
headers="$(mktemp -d /tmp/cdesk-macos-openssl.XXXXXX)"
trap 'rm -rf "$headers"' EXIT
mkdir "$headers/openssl"
cp /usr/include/openssl/*.h "$headers/openssl/"
cp /usr/include/"$(gcc -dumpmachine)"/openssl/*.h "$headers/openssl/"

start=$(date +%s)
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/macos" \
  CC_aarch64_apple_darwin="$PWD/scripts/macos/zig-cc" \
  AR_aarch64_apple_darwin="$PWD/scripts/macos/zig-ar" \
  OPENSSL_NO_VENDOR=1 OPENSSL_INCLUDE_DIR="$headers" OPENSSL_LIB_DIR="/usr/lib/$(gcc -dumpmachine)" \
  LIBSQLITE3_FLAGS="-DSQLCIPHER_OMIT_LOG_DEVICE" \
  "$CARGO" check --locked --target "$TARGET" -p cdesk-core -p cdesk-client -p cdesk-cli
log "cargo check for $TARGET passed in $(( $(date +%s) - start )) s (compiled, not linked nor run)"
