#!/usr/bin/env bash
# Registry push speed, slipway vs skopeo, side by side in one run on this machine.
#   bench/push.sh              # needs: artifacts/bin/slipway (./build.sh Compile), skopeo, docker-registry, umoci
#   BENCH_RUNS=5 bench/push.sh # best of N (default 5)
# Image: one ~95 MB layer of random-ish but compressible text (base64 of random bytes; umoci stores it without
# shrinking it, so the layer blob is ~95 MB), made once by umoci (an independent tool) into an OCI layout.
# Cases: fresh push into an empty registry (a new registry per run; skopeo's blob-info cache removed before
# each of its runs) and a no-op re-push of the same image. Prints a markdown table with ratios.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
slipway=${SLIPWAY:-$here/artifacts/bin/slipway}
[ -x "$slipway" ] || { echo "build the CLI first: ./build.sh Compile" >&2; exit 1; }
for t in skopeo docker-registry umoci python3 bc curl; do command -v $t >/dev/null || { echo "$t is missing (./build.sh Setup installs it)" >&2; exit 1; }; done
work=${BENCH_WORK:-/var/tmp/slipway-bench-push}
mkdir -p "$work"
runs=${BENCH_RUNS:-5}

timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; t1=$(now); echo "$t1 - $t0" | bc -l; }
min() { printf '%s\n' "$@" | sort -g | head -1; }
med() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# ---- the image ----
img="$work/image95"
if [ ! -f "$img/index.json" ]; then
  src="$work/content"; rm -rf "$src" "$img"; mkdir -p "$src"
  # 95 MB of base64 text made from random bytes (gzip would take it to ~75 %; umoci stores it as is)
  { head -c $((72*1024*1024)) /dev/urandom | base64 -w 76 | head -c $((95*1024*1024)) > "$src/data.txt"; } || true
  umoci init --layout "$img" >/dev/null
  umoci new --image "$img:base" >/dev/null
  umoci insert --rootless --image "$img:base" "$src" /data >/dev/null
  rm -rf "$src"
fi
layer_mb=$(find "$img/blobs" -type f -size +1M -exec du -m {} + | awk '{s+=$1} END {print s}')

# The registry's own floor for the fresh case: curl sending just the layer blob (POST, then one monolithic PUT
# of the file; no client-side hashing, no config, no manifest). The registry hashes and writes every byte it is
# sent, so no client can push this image faster than this against this registry.
floor_upload() { # $1 = port
  local loc; loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/v2/bench/floor/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  case $loc in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  curl -sf -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' -X PUT -T "$layer_blob" "$loc&digest=sha256:$(basename "$layer_blob")"
}
layer_blob=$(find "$img/blobs/sha256" -type f -size +1M | head -1)

fresh_s=(); fresh_w=(); fresh_f=(); noop_s=(); noop_w=()
for i in $(seq "$runs"); do
  # fresh: a new, empty registry for each tool and run; order alternates so neither always goes first
  for tool in skopeo slipway; do
    [ $((i % 2)) = 0 ] && tool=$([ $tool = skopeo ] && echo slipway || echo skopeo)
    stop_registry "$work/r"; port=$(start_registry "$work/r"); clear_skopeo_cache
    if [ $tool = skopeo ]; then fresh_s+=("$(timed skopeo copy --dest-tls-verify=false "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest")")
    else fresh_w+=("$(timed "$slipway" copy "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest")"); fi
  done
  stop_registry "$work/r"; port=$(start_registry "$work/r")
  fresh_f+=("$(timed floor_upload "$port")")
done
# no-op: the image is already there (pushed once by skopeo, then by slipway under the same tag)
stop_registry "$work/r"; port=$(start_registry "$work/r")
skopeo copy --dest-tls-verify=false "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest" >/dev/null
"$slipway" copy "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest" >/dev/null
for i in $(seq "$runs"); do
  noop_s+=("$(timed skopeo copy --dest-tls-verify=false "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest")")
  noop_w+=("$(timed "$slipway" copy "oci:$img:base" "docker://127.0.0.1:$port/bench/app:latest")")
done
# the same no-op inside one warm process (what a build run pays per image), via bench/RegistryPush
inproc=""
if dotnet build "$here/bench/RegistryPush" -c Release -o "$work/RegistryPush" --nologo -v quiet -clp:ErrorsOnly >/dev/null 2>&1; then
  inproc=$(dotnet "$work/RegistryPush/RegistryPush.dll" "$img" base "127.0.0.1:$port/bench/app" 20 | tail -1)
fi
d1=$(skopeo inspect --tls-verify=false "docker://127.0.0.1:$port/bench/app:latest" | python3 -c 'import json,sys;print(json.load(sys.stdin)["Digest"])')
stop_registry "$work/r"

fs=$(min "${fresh_s[@]}"); fw=$(min "${fresh_w[@]}"); ff=$(min "${fresh_f[@]}"); ns=$(min "${noop_s[@]}"); nw=$(min "${noop_w[@]}")
echo "## Registry push: ${layer_mb} MB single-layer image, best of $runs, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| case | skopeo s | slipway s | slipway/skopeo | goal |"
echo "| --- | ---: | ---: | ---: | --- |"
printf '| fresh push, empty registry | %.3f | %.3f | %s | ≤ 0.80 |\n' "$fs" "$fw" "$(ratio "$fw" "$fs")"
printf '| registry floor: curl PUT of the layer alone | %.3f | %.3f | %s (floor/skopeo) | — |\n' "$fs" "$ff" "$(ratio "$ff" "$fs")"
printf '| no-op re-push | %.3f | %.3f | %s | ≤ 1.00 |\n' "$ns" "$nw" "$(ratio "$nw" "$ns")"
echo
printf 'medians (s): fresh skopeo %.3f, slipway %.3f (%s), floor %.3f (%s); no-op skopeo %.3f, slipway %.3f (%s)\n' \
  "$(med "${fresh_s[@]}")" "$(med "${fresh_w[@]}")" "$(ratio "$(med "${fresh_w[@]}")" "$(med "${fresh_s[@]}")")" \
  "$(med "${fresh_f[@]}")" "$(ratio "$(med "${fresh_f[@]}")" "$(med "${fresh_s[@]}")")" \
  "$(med "${noop_s[@]}")" "$(med "${noop_w[@]}")" "$(ratio "$(med "${noop_w[@]}")" "$(med "${noop_s[@]}")")"
echo "all runs (s): fresh skopeo ${fresh_s[*]}; fresh slipway ${fresh_w[*]}; floor ${fresh_f[*]}; no-op skopeo ${noop_s[*]}; no-op slipway ${noop_w[*]}" | sed 's/\([0-9]*\.[0-9][0-9][0-9]\)[0-9]*/\1/g; s/ \./ 0./g'
echo "digest after both: $d1"
[ -n "$inproc" ] && echo "slipway library, $inproc"
