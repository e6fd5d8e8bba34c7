#!/usr/bin/env bash
# The Windows build, proved here: cross-builds `cdesk` for x86_64-pc-windows-gnu and runs a
# CLI scenario under Wine in a throwaway prefix: a partner, a note, the list, a backup and a
# restore, in the default data folder (local, not roaming, app data), with the database key
# written to and read back from the Windows Credential Manager (Wine implements it), and the
# recovery key opening the database once that entry is deleted.
#
# Installs what it needs (the rustup target, Debian's mingw-w64 and wine64) when missing. A
# failed build or scenario fails; only a Wine that cannot start at all is a skip, said plainly.
#
#   scripts/test-windows.sh        # CARGO and CARGO_TARGET_DIR are honoured
set -euo pipefail

cd "$(dirname "$0")/.."
CARGO="${CARGO:-cargo}"
TARGET=x86_64-pc-windows-gnu
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WINE=/usr/lib/wine/wine64
# Each Wine command is bounded: a hung wineserver must not hang `make test`.
STEP_TIMEOUT=120

log() { echo "test-windows: $*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- What it needs -------------------------------------------------------------------------
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(mingw-w64)
[ -x "$WINE" ] || missing+=(wine64)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! rustup target list --installed | grep -qx "$TARGET"; then
  log "adding the Rust target $TARGET"
  rustup target add "$TARGET"
fi

# --- The cross-build -----------------------------------------------------------------------
start=$(date +%s)
"$CARGO" build --locked --target "$TARGET" -p cdesk-cli --bin cdesk
log "cross-build took $(( $(date +%s) - start )) s"
out="$TARGET_DIR/$TARGET/debug"
# Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std calls for randomness; a
# one-function stand-in over advapi32's RtlGenRandom goes beside the exe (Wine loads it first).
x86_64-w64-mingw32-gcc -O2 -shared -o "$out/bcryptprimitives.dll" scripts/windows/processprng.c -ladvapi32

# --- The scenario under Wine ---------------------------------------------------------------
start=$(date +%s)
WINEPREFIX="$(mktemp -d /tmp/cdesk-wine.XXXXXX)"
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n,b"
export CDESK_AUTHOR=cam@vendor.example
unset CDESK_DATA_DIR RUST_LOG DISPLAY WAYLAND_DISPLAY
cleanup() {
  timeout 30 "${WINE%/*}/wineserver" -k >/dev/null 2>&1 || true
  rm -rf "$WINEPREFIX"
}
trap cleanup EXIT

if ! boot_out=$(timeout "$STEP_TIMEOUT" "$WINE" wineboot --init 2>&1); then
  log "SKIP: Wine cannot run on this machine, so the Windows build was built but not run:"
  echo "$boot_out" | tail -5
  exit 0
fi

exe="$out/cdesk.exe"
# cdesk ARGS...: runs the Windows binary, bounded; its stdout is the result.
cdesk() { timeout "$STEP_TIMEOUT" "$WINE" "$exe" "$@"; }
fail() { log "FAILED: $*"; exit 1; }
expect() { # expect TEXT HAYSTACK WHAT
  grep -qF -- "$1" <<<"$2" || fail "$3: expected \"$1\" in: $2"
}

cdesk partner add Acme --type msp --track open --region emea --owner cam@vendor.example \
  >/dev/null || fail "partner add"
cdesk note add --partner Acme --title "QBR prep under Wine" >/dev/null || fail "note add"
notes=$(cdesk --json note list) || fail "note list"
expect "QBR prep under Wine" "$notes" "the note is listed"

# The default data folder is the local application data, not the roaming profile.
made=$(cdesk --json backup) || fail "backup"
expect 'AppData\\Local\\app.channeldesk.desktop\\backups\\channel-desk-' "$made" \
  "the backup is in the local app data folder"
listed=$(cdesk --json backup list) || fail "backup list"
count=$(grep -o '"file_name"' <<<"$listed" | wc -l)
# The first command of the day took one at start, `cdesk backup` another.
[ "$count" -eq 2 ] || fail "two backups expected, found $count: $listed"
log "backups taken: $count (the daily one and cdesk backup)"

cdesk note add --partner Acme --title "After the backup" >/dev/null || fail "second note"
restored=$(cdesk --json restore --latest) || fail "restore --latest"
expect '"replaced_kept_at"' "$restored" "the restore reports the database it replaced"
notes=$(cdesk --json note list) || fail "note list after the restore"
expect "QBR prep under Wine" "$notes" "the restored database has the note"
if grep -qF "After the backup" <<<"$notes"; then
  fail "the note written after the backup survived the restore: $notes"
fi
log "restored the latest backup; the database it replaced is kept"

# The key is in the Credential Manager (Wine keeps it in the registry): one entry, for this
# database, named by the key id kept beside it; with it gone the database does not open, so the
# key came from nowhere else; its recovery key opens it again.
code=$(cdesk --json recovery-key | python3 -c 'import json, sys; print(json.load(sys.stdin)["recovery_key"])') ||
  fail "recovery-key"
creds=$(timeout "$STEP_TIMEOUT" "$WINE" reg query "HKCU\\Software\\Wine\\Credential Manager" 2>&1) ||
  fail "no Credential Manager entries: $creds"
expect 'database-key:' "$creds" "the database key's credential"
key=$(grep -m1 -F 'database-key:' <<<"$creds" | tr -d '\r')
expect "$(tr -d '\r\n' < "$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/app.channeldesk.desktop/channel-desk.db.keyid")" \
  "$key" "the credential is named by the key id beside the database"
grep -q 'self-check' <<<"$creds" && fail "the keyring self-check left its entry behind: $creds"
log "the database key is in the Credential Manager: $key"
timeout "$STEP_TIMEOUT" "$WINE" reg delete "$key" /f >/dev/null 2>&1 || fail "deleting $key"
if lost=$(cdesk note list 2>&1); then
  fail "the database opened without its key in the Credential Manager: $lost"
fi
expect "its key is not in the system keyring" "$lost" "the error without the key"
recovered=$(printf '%s\n' "$code" | cdesk recover 2>&1) || fail "recover: $recovered"
notes=$(cdesk --json note list) || fail "note list after the recovery"
expect "QBR prep under Wine" "$notes" "the recovery key opens the database"
log "the recovery key opened the database and put its key back in the Credential Manager"

log "Wine scenario took $(( $(date +%s) - start )) s"
echo "test-windows: 1 passed, 0 failed"
