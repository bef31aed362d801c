#!/usr/bin/env bash
# Builds the `fuzz` preset and fuzzes every harness (or the ones named) for SECONDS each, one
# after the other, then prints a table: harness, executions, exec/s, new inputs, findings.
#
#   nice -n 10 tests/fuzz/run.sh 60                 # every harness, one minute each
#   tests/fuzz/run.sh 600 smtp_server imap_server   # two harnesses, ten minutes each
#
# Each run starts from the committed seeds (tests/fuzz/corpus/<harness>) plus what earlier runs
# found, and writes new inputs only into the scratch folder $MAILSCOPE_FUZZ_WORK (default
# ${TMPDIR:-/tmp}/mailscope-fuzz/<harness>/corpus), never into the committed corpus. Crashes,
# leaks, timeouts (> 1 s) and out-of-memory inputs (> 2048 MB) land in .../<harness>/artifacts;
# the libFuzzer log of the last run is .../<harness>/fuzz.log. To keep a finding: fix it, copy
# the artifact into tests/fuzz/corpus/<harness>/ as crash-<what>, and the replay test guards it.
# Exit status: 0 when no harness found anything, 1 otherwise.
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [HARNESS...]" >&2
  exit 2
fi
seconds=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
all=(wire_headers dissect dns_parse dns_round_trip smtp_server imap_server pop3_server
  mail_message scenario_loader)
if [[ $# -gt 0 ]]; then harnesses=("$@"); else harnesses=("${all[@]}"); fi
work=${MAILSCOPE_FUZZ_WORK:-${TMPDIR:-/tmp}/mailscope-fuzz}

cd "$root"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz --target fuzz_all -j2 > /dev/null

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

found=0
rows=()
for harness in "${harnesses[@]}"; do
  program=$root/build/fuzz/tests/fuzz/fuzz_$harness
  if [[ ! -x $program ]]; then
    echo "no such harness: $harness" >&2
    exit 2
  fi
  dir=$work/$harness
  mkdir -p "$dir/corpus" "$dir/artifacts"
  dict=()
  if [[ -f $root/tests/fuzz/dict/$harness.dict ]]; then
    dict=(-dict="$root/tests/fuzz/dict/$harness.dict")
  fi
  before=$(find "$dir/artifacts" -type f | wc -l)
  echo "fuzzing $harness for ${seconds}s ..." >&2
  status=0
  TIMEFORMAT='%U %S'
  {
    time "$program" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" "$dir/corpus" \
      "$root/tests/fuzz/corpus/$harness" > "$dir/fuzz.log" 2>&1 || status=$?
  } 2> "$dir/cpu.txt"
  stat() { awk -v key="stat::$1:" '$1 == key { print $2 }' "$dir/fuzz.log" | tail -1; }
  execs=$(stat number_of_executed_units)
  rate=$(stat average_exec_per_sec)
  added=$(stat new_units_added)
  per_cpu=$(awk -v n="${execs:-0}" '{ cpu = $1 + $2; if (cpu > 0) printf "%d", n / cpu }' \
    "$dir/cpu.txt")
  findings=$(($(find "$dir/artifacts" -type f | wc -l) - before))
  if [[ $status -ne 0 && $findings -eq 0 ]]; then findings="exit $status"; fi
  if [[ $findings != 0 ]]; then found=1; fi
  rows+=("$(printf '%-16s %12s %8s %10s %6s  %s' "$harness" "${execs:-?}" "${rate:-?}" \
    "${per_cpu:-?}" "${added:-?}" "$findings")")
done

printf '\n%-16s %12s %8s %10s %6s  %s\n' harness executions exec/s exec/cpu-s new findings
printf '%s\n' "${rows[@]}"
echo "(${seconds}s per harness; logs and artifacts in $work)"
exit $found
