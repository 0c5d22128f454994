#!/usr/bin/env bash
# Warm `./build.sh --help` wall time: the bootstrap's input fingerprint + exec of the compiled build, next to the
# compiled build run directly (no bootstrap) and an empty `dotnet --version` start, in the same run. Best and median
# of N runs each (hyperfine isn't installed here, so this is plain bash timing). Goal: warm ./build.sh --help <= 1.0 s.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
./build.sh --help >/dev/null 2>&1   # warm up: compiles once if the build's inputs changed
dotnet=$(<.nuke/temp/dotnet.path)

measure() { # label, command...
  local label=$1; shift
  local times=()
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-44s best %5d ms   median %5d ms   worst %5d ms\n' "$label" \
    "$(head -1 <<<"$sorted")" "$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}

echo "warm runs, n=$n each, $(nproc) cores:"
measure "./build.sh --help (goal <= 1000 ms)" ./build.sh --help
measure "dotnet .nuke/temp/build/_build.dll --help" "$dotnet" .nuke/temp/build/_build.dll --help
measure "dotnet --version (runtime start floor)" "$dotnet" --version
