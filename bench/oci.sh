#!/usr/bin/env bash
# Side-by-side speed of the OCI core against skopeo, gzip and pigz, in one run on this machine.
#   bench/oci.sh            # needs: skopeo docker-registry umoci pigz debootstrap (./build.sh Setup installs them)
# Prints a table with ratios; the README quotes its output.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
slipway="$here/artifacts/bin/slipway"
[ -x "$slipway" ] || { echo "build the CLI first: ./build.sh Compile" >&2; exit 1; }
work=${BENCH_WORK:-/var/tmp/slipway-bench}
mkdir -p "$work"
runs=${BENCH_RUNS:-3}

best() { # best-of-N wall time of a command, in seconds
  local best=999999 t0 t1 d
  for _ in $(seq "$runs"); do
    [ -n "${BEFORE:-}" ] && eval "$BEFORE"
    t0=$(now); eval "$1" >/dev/null 2>&1; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l); (( $(echo "$d < $best" | bc -l) )) && best=$d
  done
  printf '%.3f' "$best"
}


# ---- a ~95 MB single-layer image, made by umoci (an independent tool) ----
img="$work/image95"
if [ ! -f "$img/index.json" ]; then
  src="$work/content95"; rm -rf "$src"; mkdir -p "$src"
  # 95 MB that does not compress (the layer blob stays ~95 MB, as in the issue's reference figures)
  head -c $((95*1024*1024)) /dev/urandom > "$src/blob.bin"
  umoci init --layout "$img" >/dev/null
  umoci new --image "$img:base" >/dev/null
  umoci insert --rootless --image "$img:base" "$src" /data >/dev/null
fi
size=$(du -sm "$img/blobs" | awk '{print $1}')

echo "## Registry push: ${size} MB single-layer image (best of $runs)"
BEFORE='stop_registry "$work/r1" 2>/dev/null; port=$(start_registry "$work/r1"); clear_skopeo_cache'
fresh_skopeo=$(best 'skopeo copy --dest-tls-verify=false oci:$img:base docker://127.0.0.1:$port/bench/app:latest')
fresh_slipway=$(best '$slipway copy oci:$img:base docker://127.0.0.1:$port/bench/app:latest')
stop_registry "$work/r1"
BEFORE=''
port=$(start_registry "$work/r2")
skopeo copy --dest-tls-verify=false "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest" >/dev/null
noop_skopeo=$(best 'skopeo copy --dest-tls-verify=false oci:$img:base docker://127.0.0.1:$port/bench/app:latest')
noop_slipway=$(best '$slipway copy oci:$img:base docker://127.0.0.1:$port/bench/app:latest')
stop_registry "$work/r2"
printf '| %-28s | %9s | %9s | %11s |\n' "case" "skopeo s" "slipway s" "slipway/skopeo"
printf '| %-28s | %9s | %9s | %11s |\n' "fresh push, empty registry" "$fresh_skopeo" "$fresh_slipway" "$(ratio "$fresh_slipway" "$fresh_skopeo")"
printf '| %-28s | %9s | %9s | %11s |\n' "no-op re-push" "$noop_skopeo" "$noop_slipway" "$(ratio "$noop_slipway" "$noop_skopeo")"

# ---- a layer from a Debian minbase rootfs ----
rootfs="$work/rootfs"
if [ ! -d "$rootfs/usr" ]; then
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null 2>&1 || { echo "debootstrap failed; skipping the layer bench" >&2; exit 0; }
fi
mb=$(du -sm "$rootfs" | awk '{print $1}')
echo
echo "## Layer from a ${mb} MB Debian minbase rootfs, $(nproc) cores (best of $runs)"
t_gzip=$(best 'tar -C $rootfs --sort=name -cf - . | gzip -6 > $work/l.gzip')
t_pigz=$(best 'tar -C $rootfs --sort=name -cf - . | pigz -6 > $work/l.pigz')
t_slip=$(best '$slipway layer $rootfs --output $work/l.slipway')
a=$(sha256sum < "$work/l.slipway"); "$slipway" layer "$rootfs" --output "$work/l.slipway2" >/dev/null; b=$(sha256sum < "$work/l.slipway2")
same=$([ "$a" = "$b" ] && echo yes || echo NO)
printf '| %-24s | %8s | %9s | %10s |\n' "tool" "seconds" "MB out" "vs pigz"
printf '| %-24s | %8s | %9s | %10s |\n' "tar | gzip -6" "$t_gzip" "$(du -m $work/l.gzip | cut -f1)" "$(ratio "$t_gzip" "$t_pigz")"
printf '| %-24s | %8s | %9s | %10s |\n' "tar | pigz -6" "$t_pigz" "$(du -m $work/l.pigz | cut -f1)" "1.00"
printf '| %-24s | %8s | %9s | %10s |\n' "slipway layer (gzip 6)" "$t_slip" "$(du -m $work/l.slipway | cut -f1)" "$(ratio "$t_slip" "$t_pigz")"
echo "slipway layer byte-identical across runs: $same"
