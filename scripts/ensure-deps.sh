#!/usr/bin/env bash
# Installs what building and testing Channel Desk needs, on a fresh Debian/Ubuntu machine.
# Idempotent and quiet when everything is present: apt runs only for packages that are missing.
#
#   scripts/ensure-deps.sh build   # the Rust toolchain and C build tools
#   scripts/ensure-deps.sh test    # the same, plus what the test suites need
set -euo pipefail

want="${1:-build}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages we need, by the command or file that proves each is installed.
missing=()
need_pkg() { # need_pkg PACKAGE CHECK-COMMAND...
  local pkg="$1"; shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$pkg"); fi
}

need_pkg build-essential command -v cc
need_pkg pkg-config command -v pkg-config
need_pkg ca-certificates test -e /etc/ssl/certs/ca-certificates.crt
need_pkg curl command -v curl
need_pkg git command -v git

# The desktop app (Tauri 2 on WebKitGTK) and its UI build.
need_pkg libwebkit2gtk-4.1-dev pkg-config --exists webkit2gtk-4.1
need_pkg libssl-dev pkg-config --exists openssl
need_pkg libayatana-appindicator3-dev pkg-config --exists ayatana-appindicator3-0.1
need_pkg librsvg2-dev pkg-config --exists librsvg-2.0
need_pkg libxdo-dev test -e /usr/include/xdo.h
need_pkg nodejs command -v node
need_pkg npm command -v npm

if [ "$want" = "test" ]; then
  # The desktop end-to-end tests: a virtual display and WebKit's WebDriver.
  need_pkg xvfb command -v xvfb-run
  need_pkg webkit2gtk-driver command -v WebKitWebDriver
  # The server's tests start a real PostgreSQL; the client's, a real Secret Service.
  need_pkg postgresql sh -c 'ls /usr/lib/postgresql/*/bin/initdb'
  need_pkg gnome-keyring command -v gnome-keyring-daemon
  need_pkg dbus command -v dbus-daemon
  need_pkg dbus-bin command -v dbus-send
  # Schemathesis (scripts/test-schemathesis.sh) runs from a virtualenv.
  need_pkg python3-venv python3 -c 'import ensurepip, venv'
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "ensure-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust: the distribution's rustc is too old for our dependencies, so use rustup's stable.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "ensure-deps: installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal \
    --component clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi
for component in clippy rustfmt; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then rustup component add "$component"; fi
  fi
done

# cargo-fuzz, pinned, for the fuzz stage (scripts/test-fuzz.sh).
CARGO_FUZZ_VERSION=0.13.2
if [ "$want" = "test" ] && ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "ensure-deps: installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# Schemathesis, and the iCalendar parser the calendar tests read our .ics files back with (an
# implementation independent of the crate that writes them), pinned, in the repository's own
# virtualenv (.venv, ignored by git).
SCHEMATHESIS_VERSION=4.32.5
ICALENDAR_VERSION=6.3.1
if [ "$want" = "test" ]; then
  repo="$(cd "$(dirname "$0")/.." && pwd)"
  if ! "$repo/.venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" ||
    ! "$repo/.venv/bin/python" -c "import icalendar, sys; sys.exit(icalendar.__version__ != '$ICALENDAR_VERSION')" 2>/dev/null; then
    echo "ensure-deps: installing schemathesis $SCHEMATHESIS_VERSION and icalendar $ICALENDAR_VERSION into .venv"
    python3 -m venv "$repo/.venv"
    "$repo/.venv/bin/pip" install --quiet --disable-pip-version-check \
      "schemathesis==$SCHEMATHESIS_VERSION" "icalendar==$ICALENDAR_VERSION"
  fi
fi

echo "ensure-deps: ${want} dependencies present ($(cargo --version))"
