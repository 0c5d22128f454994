#!/usr/bin/env bash
# Layer-only side-by-side: `slipway layer` vs `tar | gzip -6` vs `tar | pigz -6` (and zstd: `slipway layer
# --compression zstd` vs `tar | zstd -3 -T0`) on one rootfs, same run,
# best of N wall time plus CPU seconds, byte-identity across runs and single-member check.
#   bench/layer.sh [ROOTFS]     # default: the Debian minbase rootfs bench/oci.sh bootstraps
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
slipway=${SLIPWAY:-$here/artifacts/bin/slipway}
[ -x "$slipway" ] || { echo "build the CLI first: ./build.sh Compile (or set SLIPWAY=path)" >&2; exit 1; }
work=${BENCH_WORK:-/var/tmp/slipway-bench}
rootfs=${1:-$work/rootfs}
runs=${BENCH_RUNS:-3}
if [ ! -d "$rootfs/usr" ]; then
  # The same mirror apt uses here (see /etc/apt/sources.list.d); debootstrap needs root.
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
measure() { # best wall and its CPU (user+sys) over $runs runs: prints "wall cpu"
  local best=999999 cpu=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$out/t" bash -c "$1" >/dev/null 2>&1
    read -r w u s < "$out/t"
    if (( $(echo "$w < $best" | bc -l) )); then best=$w; cpu=$(echo "$u + $s" | bc -l); fi
  done
  printf '%.2f %.2f' "$best" "$cpu"
}
read -r g_w g_c <<<"$(measure "tar -C $rootfs --sort=name --numeric-owner -cf - . | gzip -6 > $out/l.gzip")"
read -r p_w p_c <<<"$(measure "tar -C $rootfs --sort=name --numeric-owner -cf - . | pigz -6 > $out/l.pigz")"
read -r s_w s_c <<<"$(measure "$slipway layer $rootfs --output $out/l.slipway")"
read -r zt_w zt_c <<<"$(measure "tar -C $rootfs --sort=name --numeric-owner -cf - . | zstd -q -3 -T0 > $out/l.zstd")"
read -r zs_w zs_c <<<"$(measure "$slipway layer $rootfs --output $out/l.szstd --compression zstd")"
"$slipway" layer "$rootfs" --output "$out/l.szstd2" --compression zstd --jobs 1 >/dev/null
zsame=$(cmp -s "$out/l.szstd" "$out/l.szstd2" && echo yes || echo NO)
"$slipway" layer "$rootfs" --output "$out/l.slipway2" >/dev/null
same=$(cmp -s "$out/l.slipway" "$out/l.slipway2" && echo yes || echo NO)
single=$(python3 -c "import zlib,sys;d=zlib.decompressobj(31);d.decompress(open(sys.argv[1],'rb').read());print('yes' if d.eof and not d.unused_data else 'NO')" "$out/l.slipway")
mb() { echo "scale=1; $(stat -c %s "$1") / 1048576" | bc -l; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
echo "## Layer from $(du -sm "$rootfs" | cut -f1) MB ($rootfs), $(nproc) cores, best of $runs"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' tool "wall s" "CPU s" "MB out" "wall vs pigz"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' "tar | gzip -6" "$g_w" "$g_c" "$(mb $out/l.gzip)" "$(ratio $g_w $p_w)"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' "tar | pigz -6" "$p_w" "$p_c" "$(mb $out/l.pigz)" "1.00"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' "slipway layer (gzip 6)" "$s_w" "$s_c" "$(mb $out/l.slipway)" "$(ratio $s_w $p_w)"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' "tar | zstd -3 -T0" "$zt_w" "$zt_c" "$(mb $out/l.zstd)" "$(ratio $zt_w $p_w)"
printf '| %-24s | %7s | %7s | %8s | %8s |\n' "slipway layer (zstd 3)" "$zs_w" "$zs_c" "$(mb $out/l.szstd)" "$(ratio $zs_w $p_w)"
echo "byte-identical across runs: $same; one gzip member: $single; zstd identical with 1 and all workers: $zsame; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
