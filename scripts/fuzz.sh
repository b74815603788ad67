#!/usr/bin/env bash
# Fuzzes casebook with cargo-fuzz (libFuzzer), each target for a bounded time: front
# matter, the Markdown + ::: pipeline, referrals.yaml and casebook.yaml (the parsers, with
# AddressSanitizer), and the two editions of a page (the whole of casebook, without a
# sanitizer: its finding is a trainer note shown to a mentee, not a memory error).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 300 s, every target)
#
# Needs `cargo install cargo-fuzz`. cargo-fuzz asks for nightly Rust; on stable the script
# sets RUSTC_BOOTSTRAP=1, which lets stable rustc take the sanitizer flags. Each target starts
# from the bundled curriculum and the test fixtures as seeds, and keeps what it learns in
# fuzz/corpus/TARGET between runs. A crash is saved in fuzz/artifacts/TARGET/; copy it into
# fuzz/regressions/TARGET/ once fixed, where tests/reliability.rs replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(front_matter markdown referrals config editions)
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1

# Seeds: real files of each kind.
seed() {
  local target=$1; shift
  mkdir -p "fuzz/corpus/$target"
  find "$@" -type f -print0 2>/dev/null | while IFS= read -r -d '' f; do
    cp "$f" "fuzz/corpus/$target/seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
  done
}
pages=(curriculum fact-patterns tests/fixtures)
seed front_matter "${pages[@]}" -name '*.md'
seed markdown "${pages[@]}" -name '*.md'
seed referrals curriculum tests/fixtures -name 'referrals.yaml'
seed config . -maxdepth 4 -name 'casebook.yaml'
seed editions "${pages[@]}" -name '*.md'
for target in "${targets[@]}"; do
  if [ -d "fuzz/regressions/$target" ]; then
    cp fuzz/regressions/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
  fi
done

# How each target is built and run: the same flags both times, or cargo-fuzz builds again.
flags() {
  case $1 in
    editions) echo "-O -s none --features editions" ;;
    *) echo "-O" ;;
  esac
}
summary=()
for target in "${targets[@]}"; do
  # shellcheck disable=SC2046
  cargo fuzz build $(flags "$target") "$target" >/dev/null
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  echo "fuzzing $target for ${seconds}s…"
  status=0
  # -rss_limit_mb: a parser that blows memory is a finding too; -timeout: so is one that
  # hangs on an input for 10 s.
  # shellcheck disable=SC2046
  cargo fuzz run $(flags "$target") "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ "$status" -eq 0 ]; then
    summary+=("$target: ${seconds}s, $runs executions, no crash")
  else
    summary+=("$target: CRASH after $runs executions (exit $status): see $log and fuzz/artifacts/$target/")
  fi
done
printf '%s\n' "${summary[@]}"
for line in "${summary[@]}"; do
  case $line in *CRASH*) exit 1 ;; esac
done
