#!/usr/bin/env bash
# Source-to-image bench: for a Node (npm, with a dependency), a Python (stdlib) and a Go (stdlib) app, side by
# side in one run: `slipway build-source` vs a hand-written single-stage Dockerfile built with
# `buildah bud --layers` (same base images, same machine). Measures the cold build, the rebuild after a one-line
# source change, and the runtime image size (sum of compressed layers).
#   usage: bench/source.sh [--empty-caches] [--slipway-only] [app...]      (default: node-npm python-stdlib go-stdlib)
# --empty-caches: build-source's cold build is a new tenant's first build: the same bases and unpacked toolchains
# (links to the machine's), but empty package and compile caches; the rebuild then runs on what that build left.
# --slipway-only: no hand-written Dockerfile rows (a quick repeat of build-source's own figures).
set -euo pipefail
empty=false baseline=true
while [[ ${1:-} == --* ]]; do
  case $1 in
    --empty-caches) empty=true ;;
    --slipway-only) baseline=false ;;
    *) echo "bench/source.sh: unknown option $1; valid: --empty-caches, --slipway-only" >&2; exit 2 ;;
  esac
  shift
done
here=$(cd "$(dirname "$0")/.." && pwd)
builder=${SLIPWAY_BUILDER:-$here/src/Slipway.Builder.Cli/bin/Release/net10.0/slipway-builder}
[[ -x $builder ]] || dotnet build "$here/src/Slipway.Builder.Cli" -c Release -v q -clp:ErrorsOnly >/dev/null
corpus=$here/tests/Slipway.Source.Tests/Corpus
bases=${SLIPWAY_SOURCE_BASES:-/var/cache/slipway/source-bases}
work=$(mktemp -d /tmp/bench-source.XXXXXX)
trap 'rm -rf "$work"' EXIT
export SLIPWAY_BUILDAH_ROOT=$work/buildah
storage=(--storage-driver vfs --root "$work/buildah" --runroot "$work/buildah-run")
# Behind a TLS proxy or company mirror (NODE_EXTRA_CA_CERTS set, as build-source honours it), the hand-written
# build gets the same CA the way a user would give it: a read-only volume and a build argument.
ca=()
[[ -n ${NODE_EXTRA_CA_CERTS:-} ]] && ca=(-v "$NODE_EXTRA_CA_CERTS:/etc/ssl/extra-ca.pem:ro" --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/extra-ca.pem)

now() { date +%s.%N; }
fail() { echo "bench/source.sh: a build failed; its log ($1) ends:" >&2; tail -30 "$1" >&2; exit 1; }
size() { # compressed bytes of an oci layout image
  skopeo inspect --raw "oci:$1" | jq '[.layers[].size] | add'
}
# The hand-written single-stage Dockerfile a user would write for each app, on the same local bases.
dockerfile() {
  case $1 in
    node-npm) printf 'FROM node:18\nARG NODE_EXTRA_CA_CERTS\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nENV PORT=3000\nCMD ["node", "server.js"]\n' ;;
    python-stdlib) printf 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nENV PORT=8000\nCMD ["python3", "main.py"]\n' ;;
    go-stdlib) printf 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -o /app/hello .\nENV PORT=8080\nCMD ["/app/hello"]\n' ;;
  esac
}
base_of() { case $1 in node-npm) echo node;; python-stdlib) echo python;; go-stdlib) echo golang;; esac; }

# Bases first, untimed: build-source builds a missing toolchain or runtime base on first use (debootstrap + apt),
# which is a one-time cost of the machine, not of the app; the hand-written build needs the same bases present.
# (This also fills build-source's package cache, kept across builds like a cache mount; the bud has none.)
"$builder" source-bases $(for a in ${@:-node-npm python-stdlib go-stdlib}; do base_of "$a"; done) >/dev/null 2>"$work/bases.log" || fail "$work/bases.log"
for a in ${@:-node-npm python-stdlib go-stdlib}; do
  SLIPWAY_BUILDAH_ROOT=$work/warmup "$builder" build-source "$corpus/$a" --output "oci:$work/warmup-$a:x" >/dev/null 2>"$work/warmup-$a.log" || fail "$work/warmup-$a.log"
done
rm -rf "$work"/warmup*

printf '| app | tool | cold build (s) | rebuild after 1-line change (s) | runtime image (MB) |\n| --- | --- | --- | --- | --- |\n'
for app in "${@:-node-npm python-stdlib go-stdlib}"; do
  for a in $app; do
    src=$work/$a; cp -r "$corpus/$a" "$src"
    main=$(ls "$src" | grep -E '^(server\.js|main\.py|main\.go)$')
    # slipway build-source cold: a fresh buildah root and no cached dependency layer, so the install runs (the
    # package manager's download cache under $bases/caches stays warm, like a BuildKit cache mount would)
    rm -rf "$bases/caches/dependency-layers"
    run=()
    if $empty; then
      own=$work/bases-$a; mkdir -p "$own/caches"
      for d in "$bases"/*/; do n=$(basename "$d"); [[ $n == caches ]] || ln -s "$bases/$n" "$own/$n"; done
      [[ -d $bases/caches/toolchain-roots ]] && ln -s "$bases/caches/toolchain-roots" "$own/caches/toolchain-roots"
      run=(env SLIPWAY_SOURCE_BASES="$own")
    fi
    t0=$(now); "${run[@]}" "$builder" build-source "$src" --output "oci:$work/out-$a:cold" >/dev/null 2>"$work/log-$a" || fail "$work/log-$a"; t1=$(now)
    sed -i 's/hello from/hi from/' "$src/$main"
    t2=$(now); "${run[@]}" "$builder" build-source "$src" --output "oci:$work/out-$a:warm" >/dev/null 2>>"$work/log-$a" || fail "$work/log-$a"; t3=$(now)
    s=$(size "$work/out-$a:warm")
    printf '| %s | slipway build-source%s | %.1f | %.1f | %.1f |\n' "$a" "$($empty && echo ' (empty caches)')" "$(bc <<<"$t1-$t0")" "$(bc <<<"$t3-$t2")" "$(bc -l <<<"$s/1048576")"
    sed -i 's/hi from/hello from/' "$src/$main"
    $baseline || continue
    # buildah bud --layers, single stage, the matching local base tagged as its upstream name
    b=$(base_of "$a")
    id=$(buildah "${storage[@]}" pull --quiet "oci:$bases/$b:latest" | tail -1)
    buildah "${storage[@]}" tag "$id" "$(dockerfile "$a" | head -1 | cut -d' ' -f2)" >/dev/null
    dockerfile "$a" > "$work/Dockerfile.$a"
    t0=$(now); buildah "${storage[@]}" bud --isolation chroot --layers --pull=never "${ca[@]}" -f "$work/Dockerfile.$a" -t "bench-$a" "$src" >"$work/bud-$a.log" 2>&1 || fail "$work/bud-$a.log"; t1=$(now)
    sed -i 's/hello from/hi from/' "$src/$main"
    t2=$(now); buildah "${storage[@]}" bud --isolation chroot --layers --pull=never "${ca[@]}" -f "$work/Dockerfile.$a" -t "bench-$a" "$src" >>"$work/bud-$a.log" 2>&1 || fail "$work/bud-$a.log"; t3=$(now)
    buildah "${storage[@]}" push --quiet "bench-$a" "oci:$work/bud-$a:warm" >/dev/null 2>&1
    s=$(size "$work/bud-$a:warm")
    printf '| %s | buildah bud --layers (single stage) | %.1f | %.1f | %.1f |\n' "$a" "$(bc <<<"$t1-$t0")" "$(bc <<<"$t3-$t2")" "$(bc -l <<<"$s/1048576")"
  done
done
