#!/usr/bin/env bash
# Warm `./build.sh --help` wall time (the bootstrap's stamp check + running the compiled build), best and median of N.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
./build.sh --help >/dev/null 2>&1   # warm: compile once if inputs changed
times=()
for _ in $(seq "$n"); do
  t0=$(date +%s.%N); ./build.sh --help >/dev/null 2>&1; t1=$(date +%s.%N)
  times+=("$(echo "$t1 - $t0" | bc -l)")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
printf 'warm ./build.sh --help over %d runs: best %.3f s, median %.3f s (goal <= 1.0 s)\n' "$n" \
  "$(echo "$sorted" | head -1)" "$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p")"
