#!/usr/bin/env bash
# Fuzz one target for a while: fuzz/run.sh TARGET SECONDS (e.g. fuzz/run.sh tasks_csv 300).
# Targets: tasks_csv resources_csv risks_csv correlations_csv project_toml history_csv mspdi
# xer gan plan (see fuzz/Cargo.toml and src/fuzzing.rs). Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`).
#
# The seeds in fuzz/corpus/TARGET are read, never written: what the run finds goes to
# fuzz/work/TARGET (kept between runs, not committed); a crash is saved in
# fuzz/artifacts/TARGET/ and stops the run with a non-zero exit. One process (libFuzzer's
# default, as -jobs=1 without the log files), debug assertions on (overflow checks), no
# sanitizer (p80 has no unsafe code on these paths; panics, aborts, stack overflows, hangs
# over 10 s and more than 2 GB of memory are what is looked for).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
test -d "corpus/$target" || { echo "no target $target (no fuzz/corpus/$target)"; exit 2; }
mkdir -p "work/$target"
exec cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" \
  "work/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
