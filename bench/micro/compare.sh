#!/usr/bin/env bash
# Runs the protocol micro-benchmarks and prints redwire vs hiredis side by side.
#
#   bench/micro/compare.sh BUILD_DIR [extra Google Benchmark flags...]
#
# Each case runs with repetitions; the table shows the median CPU-time throughput (replies or
# commands per second, and MB/s) and the ratio redwire / hiredis (> 1: redwire is faster).
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [benchmark flags...]" >&2
  exit 2
fi
bin="$1/bench/micro/redwire_micro_bench"
shift
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
"$bin" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json "$@" >"$json"
python3 - "$json" <<'PY'
import json, sys

data = json.load(open(sys.argv[1]))
rows = {}
# The median of the repetitions, or the single run when there is only one.
for b in data["benchmarks"]:
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    what, case, impl = b["run_name"].split("/")
    rows.setdefault((what, case), {})[impl] = b

def fmt(n):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:6.2f}{unit}"
    return f"{n:7.0f}"

ctx = data["context"]
print(f"{ctx['num_cpus']} CPUs @ {ctx['mhz_per_cpu']} MHz, load {ctx.get('load_avg', [])}")
for what in ("parse", "encode"):
    if not any(w == what for w, _ in rows):
        continue
    print()
    print(f"{what + ' input':<22}{'redwire/s':>10}{'MB/s':>9}{'hiredis/s':>11}{'MB/s':>9}"
          f"{'ratio':>7}")
    for (w, case), impls in rows.items():
        if w != what or "hiredis" not in impls:
            continue
        h = impls["hiredis"]
        for impl in sorted(k for k in impls if k != "hiredis"):
            r = impls[impl]
            label = case if impl == "redwire" else f"{case} ({impl.split('_', 1)[1]})"
            print(f"{label:<22}{fmt(r['items_per_second']):>10}{r['bytes_per_second'] / 1e6:9.0f}"
                  f"{fmt(h['items_per_second']):>11}{h['bytes_per_second'] / 1e6:9.0f}"
                  f"{r['items_per_second'] / h['items_per_second']:6.2f}x")
PY
