#!/usr/bin/env bash
# The Debian bases of containers/base-images.yml built both ways in one run (bench/Bases): each base from its own
# debootstrap (before) and every base on one shared minbase layer (now). Both start from empty outputs with the
# same .deb cache, warmed first by a throwaway build, so the mirror's speed is not measured.
#   bench/bases.sh                   # needs debootstrap (./build.sh Setup), root (chroot), the Debian mirror
#   BENCH_WORK=/var/tmp/x bench/bases.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/var/tmp/slipway-bench-bases}
mkdir -p "$work"
dotnet build "$here/bench/Bases" -c Release -v q -clp:ErrorsOnly >/dev/null
bin="$here/bench/Bases/bin/Release/net10.0/Bases"
[ -n "$(ls "$work/debs" 2>/dev/null)" ] || "$bin" "$here" "$work" shared >/dev/null 2>"$work/warmup.log"
echo "nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg) at start"
"$bin" "$here" "$work" separate,shared 2>"$work/log"
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at end; log: $work/log"
