#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each on a scratch copy of its seed corpus and fails on any
# finding (crash, sanitizer report, leak, timeout, out-of-memory).
#
#   fuzz/run.sh BUILD_DIR SECONDS
#
# BUILD_DIR is a build configured with clang and -DREDWIRE_BUILD_FUZZ=ON. Findings are kept in
# BUILD_DIR/fuzz-findings/<target>/ together with the fuzzer's log; reproduce one with
#   BUILD_DIR/fuzz/<target> BUILD_DIR/fuzz-findings/<target>/crash-<sha1>
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
seconds="$2"
here="$(cd "$(dirname "$0")" && pwd)"
status=0
total_execs=0
work=""
trap 'if [[ -n "$work" ]]; then rm -rf "$work"; fi' EXIT

for target in fuzz_parser fuzz_encoder; do
  bin="$build/fuzz/$target"
  seeds="$here/corpus/${target#fuzz_}"
  if [[ ! -x "$bin" ]]; then
    echo "$target: not built ($bin missing)" >&2
    status=1
    continue
  fi
  work="$(mktemp -d)"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$seeds"/* "$work/corpus/"
  dict=()
  [[ -f "$here/${target#fuzz_}.dict" ]] && dict=(-dict="$here/${target#fuzz_}.dict")
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dict[@]}" "$work/corpus" \
    >"$work/log" 2>&1
  rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")"
  findings="$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)"
  if [[ $rc -ne 0 || $findings -ne 0 ]]; then
    keep="$build/fuzz-findings/$target"
    mkdir -p "$keep"
    cp "$work/log" "$keep/log.txt"
    cp "$work/artifacts"/* "$keep/" 2>/dev/null || true
    echo "$target: FAILED (exit $rc, $findings finding(s)); log and inputs in $keep" >&2
    grep -E 'ERROR|SUMMARY|fuzz_(parser|encoder):|^#[0-9]+ .*(crash|deadly)' "$work/log" | head -20 >&2
    status=1
  else
    echo "$target: ok, ${execs:-?} executions in ${seconds}s, corpus $(ls "$work/corpus" | wc -l) inputs"
    total_execs=$((total_execs + ${execs:-0}))
  fi
  rm -rf "$work"
done

[[ $status -eq 0 ]] && echo "all fuzz targets clean: $total_execs executions in total"
exit $status
