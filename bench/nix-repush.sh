#!/usr/bin/env bash
# Rebuild and re-push a Nix image after a one-file change, two ways, in the same run:
#   slipway : nix-build containers/closure (Slipway's nix/image.nix) + Slipway streams layers from the store,
#             HEAD-skipping every unchanged layer by its deterministic compressed digest
#   skopeo  : nix-build containers/archive (a gzip'd docker-archive of the same store paths) + skopeo copy
#             docker-archive: -> registry; measured with skopeo's blob-info cache warm (same machine) and cold
#             (a fresh CI runner: the cache dir is an empty tmpfs in a private mount namespace)
# Same content in both images: busybox, /bin links, a bulk store path (BULK_LINES lines, ~39 MB at 5M) and the app.
# Needs: nix-build (sandbox off), docker-registry, skopeo, dotnet, root (for the private tmpfs mount).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$here/.." && pwd)
BULK_LINES=${BULK_LINES:-5000000}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/nix-repush.XXXXXX)
trap 'kill $registry_pid 2>/dev/null || true; rm -rf "$work"' EXIT
export NIX_CONFIG=$'sandbox = false\nsubstituters ='

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: 127.0.0.1:$port }
YML
REGISTRY_HTTP_SECRET=bench docker-registry serve "$work/registry.yml" 2>"$work/registry.log" & registry_pid=$!
sleep 1
reg=127.0.0.1:$port

echo "building the benchmark driver..."
dotnet build -c Release -v q -nologo "$here/NixRepush/NixRepush.csproj" -o "$work/driver" >/dev/null
driver() { dotnet "$work/driver/NixRepush.dll" "$@"; }

repo="$work/repo"
cp -r "$repo_root/tests/Slipway.Nix.Tests/Fixtures/repo" "$repo"
cp -r "$repo_root/nix" "$repo/nix"
printf '%s' "$BULK_LINES" > "$repo/bulk-lines.txt"
# skopeo's docker-archive transport reads plain tars only (dockerTools.buildLayeredImage's default .tar.gz fails with
# "invalid tar header"), so the skopeo side gets the uncompressed archive.
sed -i 's/ | $bb gzip -n > $out/ > $out/' "$repo/containers/archive/default.nix"

skopeo_push() { # $1 = warm|cold
  local out; out=$(nix-build --no-out-link "$repo/containers/archive/default.nix" 2>/dev/null)
  if [ "$1" = cold ]; then
    unshare -m sh -c "mkdir -p /var/lib/containers/cache && mount -t tmpfs tmpfs /var/lib/containers/cache && skopeo copy -q --dest-tls-verify=false docker-archive:$out docker://$reg/bench/skopeo-$1:latest"
  else
    skopeo copy -q --dest-tls-verify=false "docker-archive:$out" "docker://$reg/bench/skopeo-$1:latest"
  fi
}
seconds() { local s e; s=$(date +%s.%N); "$@" >"$work/last.out" 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

echo "initial build and push of v0 (not timed)..."
printf 'hello v0' > "$repo/greeting.txt"
driver "$repo" closure "$reg/bench/slipway" >/dev/null
skopeo_push warm >/dev/null; skopeo_push cold >/dev/null

printf '%-5s %-14s %-14s %-14s %s\n' run slipway_s skopeo_warm_s skopeo_cold_s slipway_upload
for i in $(seq 1 "$RUNS"); do
  printf 'hello v%s' "$i" > "$repo/greeting.txt"            # the one-file change
  t_s=$(seconds driver "$repo" closure "$reg/bench/slipway"); up=$(grep -o 'uploaded=[0-9]* skipped=[0-9]* bytes=[0-9]*' "$work/last.out")
  t_w=$(seconds skopeo_push warm)
  # cold: same archive (nix-build is a no-op now), so measure it against an archive rebuilt like the others
  printf 'hello v%s-c' "$i" > "$repo/greeting.txt"
  t_c=$(seconds skopeo_push cold)
  printf '%-5s %-14s %-14s %-14s %s\n' "$i" "$t_s" "$t_w" "$t_c" "$up"
  echo "$t_s $t_w $t_c" >> "$work/times"
done
awk '{s+=$1; w+=$2; c+=$3} END {n=NR; printf "mean: slipway %.2f s, docker-archive+skopeo warm %.2f s (%.1fx), cold %.2f s (%.1fx)\n", s/n, w/n, w/s, c/n, c/s}' "$work/times"
