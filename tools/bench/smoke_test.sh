#!/usr/bin/env bash
# Smoke test (ctest label: bench): redwire-bench runs for about a second against a throwaway
# redis-server on a unix socket and prints a JSON result. Asserts that the tool works, never how
# fast it is.
#
#   smoke_test.sh path/to/redwire-bench
set -euo pipefail

bench="$1"
dir="$(mktemp -d "${REDWIRE_TEST_TMPDIR:-${TMPDIR:-/tmp}}/redwire-bench-smoke-XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

# --port 0: no TCP listener at all, so nothing can collide with other tests' ports.
(cd "$dir" && exec redis-server --port 0 --unixsocket "$dir/redis.sock" --save '' \
  --appendonly no --dir "$dir" --logfile "$dir/redis.log") &
server_pid=$!
for _ in $(seq 100); do
  [[ -S $dir/redis.sock ]] && redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1 && break
  sleep 0.05
done

check() {  # DESCRIPTION ARGS...: one run must print a JSON object with requests > 0, no errors
  local what="$1" out
  shift
  out="$("$bench" -s "$dir/redis.sock" --json "$@")"
  echo "$what: $out"
  [[ $out == "{"*'"tool":"redwire"'* ]] || { echo "FAIL: $what printed no JSON result" >&2; return 1; }
  [[ $out =~ \"requests\":[1-9] ]] || { echo "FAIL: $what sent no command" >&2; return 1; }
  [[ $out =~ \"errors\":0, ]] || { echo "FAIL: $what had errors" >&2; return 1; }
  [[ $out =~ \"p99\":[0-9] ]] || { echo "FAIL: $what measured no latency" >&2; return 1; }
}

check "concurrent 16, mixed, 1 s" -t MIXED --duration 1 concurrent 16
check "pipeline 10, generic" --generic "HSET smoke __key__ __value__" -n 2000 pipeline 10
check "sequential (blocking facade)" -t GET -n 500 sequential
echo "redwire-bench smoke: ok"
