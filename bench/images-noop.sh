#!/usr/bin/env bash
# No-op `./build.sh PushImages` wall time for a monorepo whose images are all up to date (goals: this repository
# <= 2 s, a foreign monorepo through --root <= 1.5 s), side by side with the floor every build pays
# (`./build.sh --help`: bootstrap stamp check + starting the build), then the engine's own timings of one more
# no-op run (its summary table: where the time goes, target by target).
#   bench/images-noop.sh                      # this repo, embedded default (artifacts/images)
#   bench/images-noop.sh --registry 127.0.0.1:5000/team --root ../mono
# The first run builds and pushes what is missing; the timed runs must find everything up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${BENCH_RUNS:-5}
load=$(cut -d' ' -f1-3 /proc/loadavg)
./build.sh PushImages "$@" >/dev/null 2>&1 || { echo "the warm-up ./build.sh PushImages $* failed; run it by hand to see why" >&2; exit 1; }
# Median wall time and median CPU time (user + sys of the whole process tree): on a shared machine the wall time
# is mostly waiting for a core, the CPU time is what the run itself costs.
measure() {
  local walls=() cpus=() line
  for _ in $(seq "$n"); do
    line=$( { TIMEFORMAT='%R %U %S'; time eval "$1" >/dev/null 2>&1; } 2>&1 | tail -1)
    walls+=("${line%% *}"); cpus+=("$(echo "$line" | awk '{print $2 + $3}')")
  done
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")"
}
read -r noop noop_cpu <<< "$(measure "./build.sh PushImages $*")"
read -r floor floor_cpu <<< "$(measure "./build.sh --help")"
uploaded=$(python3 -c 'import json;print(sum(i.get("blobsUploaded") or 0 for i in json.load(open("'"${ROOT_REPORT:-artifacts/images.json}"'"))["images"]))' 2>/dev/null || echo "?")
statuses=$(python3 -c 'import json,collections;print(dict(collections.Counter(i["status"] for i in json.load(open("'"${ROOT_REPORT:-artifacts/images.json}"'"))["images"])))' 2>/dev/null || echo "?")
printf 'load average before: %s\n' "$load"
printf 'no-op ./build.sh PushImages %s: median %.2f s wall, %.2f s CPU over %d runs; ./build.sh --help floor %.2f s wall, %.2f s CPU; ratio %.1fx\n' \
  "$*" "$noop" "$noop_cpu" "$n" "$floor" "$floor_cpu" "$(echo "$noop / $floor" | bc -l)"
printf 'last run: statuses %s, blobs uploaded %s\n' "$statuses" "$uploaded"
printf "load average after: %s\n" "$(cut -d" " -f1-3 /proc/loadavg)"
echo "one more no-op run, the engine's summary (target, status, duration):"
NO_COLOR=1 ./build.sh PushImages "$@" 2>&1 | sed -n '/^Target /,/^Total/p' | grep -v '^─'
