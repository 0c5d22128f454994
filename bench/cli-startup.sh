#!/usr/bin/env bash
# Start-up of the native slipway CLI: `slipway --help` and a no-op `slipway copy` (image already in the registry),
# N runs each, best and median. Compares builds side by side in one run (e.g. before/after a package is adopted):
#   bench/cli-startup.sh [BINARY...]        # default: artifacts/bin/slipway (./build.sh Compile first)
#   BENCH_RUNS=30 bench/cli-startup.sh /tmp/a/slipway /tmp/b/slipway
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- "$here/artifacts/bin/slipway"
runs=${BENCH_RUNS:-20}
work=$(mktemp -d /var/tmp/slipway-startup.XXXXXX)
trap 'stop_registry "$work/registry"; rm -rf "$work"' EXIT

stats() { # "$@" = command; prints "wall-best wall-median cpu-best cpu-median" in ms over $runs runs. CPU time
  # (user+sys) is what the binary itself costs; wall time also counts waiting for a busy machine's cores.
  local out=() TIMEFORMAT='%3R %3U %3S'
  for _ in $(seq "$runs"); do out+=("$( { time "$@" >/dev/null 2>&1; } 2>&1 )"); done
  local wall cpu
  wall=$(printf '%s\n' "${out[@]}" | awk '{print $1*1000}' | sort -n | awk '{a[NR]=$1} END {printf "%.0f %.0f", a[1], a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${out[@]}" | awk '{print ($2+$3)*1000}' | sort -n | awk '{a[NR]=$1} END {printf "%.0f %.0f", a[1], a[int((NR+1)/2)]}')
  echo "$wall $cpu"
}

port=$(start_registry "$work/registry")
mkdir -p "$work/content" && echo hi > "$work/content/hi.txt"
umoci init --layout "$work/layout" >/dev/null && umoci new --image "$work/layout:x" >/dev/null
umoci insert --rootless --image "$work/layout:x" "$work/content" /data >/dev/null
"$1" copy -q "oci:$work/layout:x" "docker://127.0.0.1:$port/bench/startup:x" >/dev/null

printf '| binary | size | `--help` wall best / median | `--help` CPU best / median | no-op `copy` wall best / median | no-op `copy` CPU best / median |\n| --- | --- | --- | --- | --- | --- |\n'
for bin in "$@"; do
  read -r hwb hwm hcb hcm < <(stats "$bin" --help)
  read -r cwb cwm ccb ccm < <(stats "$bin" copy -q "oci:$work/layout:x" "docker://127.0.0.1:$port/bench/startup:x")
  printf '| %s | %.1f MB | %s / %s ms | %s / %s ms | %s / %s ms | %s / %s ms |\n' "$bin" "$(echo "$(stat -c %s "$bin") / 1048576" | bc -l)" \
    "$hwb" "$hwm" "$hcb" "$hcm" "$cwb" "$cwm" "$ccb" "$ccm"
done
echo "($runs runs each, $(nproc) cores, load average $(cut -d" " -f1 /proc/loadavg), $(date -u +%F))"
