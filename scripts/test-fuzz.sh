#!/usr/bin/env bash
# Fuzzes what hostile input reaches (fuzz/fuzz_targets): the CSV importer, the search box, and
# the sync protocol's decoding on the client and on the server. Each target runs for
# FUZZ_SECONDS (default 25) from its committed corpus (fuzz/corpus/<target>); a crash, a failed
# check or an input that hangs fails the stage, its input saved in fuzz/artifacts/<target>/.
#
# New inputs the run finds go to a temporary directory, so `make test` never changes the tree;
# to keep one, copy it into the corpus. A failure reproduces by running the target's binary on
# the saved input: fuzz/target/<host>/debug/<target> fuzz/artifacts/<target>/crash-...
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
seconds="${FUZZ_SECONDS:-25}"
targets=(csv_import search_query protocol_client protocol_server)

# cargo-fuzz passes rustc flags that stable takes only with RUSTC_BOOTSTRAP (there is no
# nightly toolchain here). No sanitizer: our crates forbid unsafe code, and AddressSanitizer
# cannot see into SQLite's C (the cc build does not instrument it) while it slows every build
# and run. Unoptimized (`--dev`, which keeps debug assertions: overflows panic): the optimized
# build of every dependency, instrumented, took twice the CPU time, more than the runs gain.
export RUSTC_BOOTSTRAP=1
target_dir="$repo/fuzz/target"
"${CARGO:-cargo}" fuzz build --dev --sanitizer none --target-dir "$target_dir"
bin="$target_dir/$(rustc -vV | sed -n 's/^host: //p')/debug"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target" "fuzz/artifacts/$target"
  # libFuzzer writes new inputs to the first directory and only reads the others.
  if ! "$bin/$target" "$scratch/$target" "fuzz/corpus/$target" \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$target/" >"$scratch/$target.log" 2>&1; then
    tail -n 40 "$scratch/$target.log"
    echo "test-fuzz: $target FAILED; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$target.log")"
  found="$(find "$scratch/$target" -type f | wc -l)"
  echo "test-fuzz: $target ok: $runs inputs in ${seconds}s, $found new to the corpus"
done
echo "test-fuzz: all ${#targets[@]} targets ran clean"
