#!/usr/bin/env bash
# Bootstrap for the Slipway build (Nuke-style): find a .NET SDK that satisfies global.json (or install one under
# .nuke/temp), rebuild build/_build.csproj only when its inputs changed, then run the compiled build directly with
# every argument passed through. The warm path is one `find | cksum` and an exec: ~0.1 s before .NET starts.
set -eo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/build"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Fingerprint of the build's inputs: path and mtime of every source file, so edits, additions and deletions all
# show. build/ and src/ (the build references src projects), the props files and global.json; only those that
# exist (a repository without src/ is fine: find's error on a missing path would end the script under pipefail).
inputs() {
  local paths=() p
  for p in "$ROOT/build" "$ROOT/src" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json"; do
    if [ -e "$p" ]; then paths+=("$p"); fi
  done
  find "${paths[@]}" \( -name bin -o -name obj \) -prune -o -type f -printf '%T@ %p\n' 2>/dev/null | LC_ALL=C sort | cksum
}

# Warm path: the SDK chosen last time still exists and no input changed since the last successful compile.
if [ -f "$STAMP" ] && [ -f "$BIN/_build.dll" ] && [ -f "$TEMP/dotnet.path" ] && [ "$TEMP/dotnet.path" -nt "$ROOT/global.json" ]; then
  DOTNET=$(<"$TEMP/dotnet.path")
  if [ -x "$DOTNET" ] && [ "$(inputs)" = "$(<"$STAMP")" ]; then
    case ":$PATH:" in *":${DOTNET%/*}:"*) ;; *) export PATH="${DOTNET%/*}:$PATH" DOTNET_ROOT="${DOTNET%/*}" ;; esac
    exec "$DOTNET" "$BIN/_build.dll" "$@"
  fi
fi

mkdir -p "$TEMP"
# global.json: {"sdk": {"version": "10.0.100", "rollForward": "latestFeature"}} → major.minor 10.0, feature band 1xx+.
want=$(sed -n 's/.*"version"[^"]*"\([0-9]*\.[0-9]*\)\.\([0-9]*\)".*/\1 \2/p' "$ROOT/global.json")
want_mm=${want% *}; want_patch=${want#* }
sdk_ok() { # $1 = dotnet executable; true when it has a $want_mm SDK at or above the pinned feature band/patch
  "$1" --list-sdks 2>/dev/null | awk -v mm="$want_mm" -v p="$want_patch" \
    '{ split($1, v, "."); split(v[3], q, "-"); if (v[1]"."v[2] == mm && q[1]+0 >= p+0 && q[2] == "") ok=1 } END { exit !ok }'
}

DOTNET=""
if [ -n "$DOTNET_EXE" ] && sdk_ok "$DOTNET_EXE"; then
  DOTNET="$DOTNET_EXE"
elif command -v dotnet >/dev/null && sdk_ok "$(command -v dotnet)"; then
  DOTNET=$(command -v dotnet)
elif [ -x "$TEMP/dotnet-sdk/dotnet" ] && sdk_ok "$TEMP/dotnet-sdk/dotnet"; then
  DOTNET="$TEMP/dotnet-sdk/dotnet"
else
  echo "No .NET SDK $want_mm.$want_patch or later $want_mm feature band on PATH; installing one into .nuke/temp/dotnet-sdk" >&2
  if ! { curl -fsSL --retry 2 https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh" 2>/dev/null \
         || wget -qO "$TEMP/dotnet-install.sh" https://dot.net/v1/dotnet-install.sh 2>/dev/null; } \
     || ! bash "$TEMP/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$TEMP/dotnet-sdk" --no-path >&2; then
    cat >&2 <<EOF
Could not download the .NET SDK $want_mm (no network to dot.net?). Do one of these, then re-run ./build.sh:
  - install it system-wide: apt-get install -y dotnet-sdk-$want_mm   (Debian/Ubuntu with Microsoft's package feed)
  - or download the SDK tarball for linux from https://dotnet.microsoft.com/download/dotnet/$want_mm on another machine and
    unpack it:  mkdir -p .nuke/temp/dotnet-sdk && tar -xzf dotnet-sdk-$want_mm.*-linux-x64.tar.gz -C .nuke/temp/dotnet-sdk
  - or point DOTNET_EXE at an existing dotnet that has a $want_mm SDK.
EOF
    exit 1
  fi
  DOTNET="$TEMP/dotnet-sdk/dotnet"
fi
echo "$DOTNET" > "$TEMP/dotnet.path.new" && mv "$TEMP/dotnet.path.new" "$TEMP/dotnet.path"
case ":$PATH:" in *":${DOTNET%/*}:"*) ;; *) export PATH="${DOTNET%/*}:$PATH" DOTNET_ROOT="${DOTNET%/*}" ;; esac

# Fingerprint before compiling: a file edited during the compile shows as a change next time.
fingerprint=$(inputs)
if [ ! -f "$STAMP" ] || [ ! -f "$BIN/_build.dll" ] || [ "$fingerprint" != "$(<"$STAMP")" ]; then
  echo "Compiling the build project (build/_build.csproj; its inputs changed)..." >&2
  if ! "$DOTNET" build "$ROOT/build/_build.csproj" -c Release -o "$BIN" --nologo -v quiet -tl:off > "$TEMP/build.log" 2>&1; then
    grep -E 'error|Error' "$TEMP/build.log" | sort -u >&2 || cat "$TEMP/build.log" >&2
    echo "The build project failed to compile (full log: .nuke/temp/build.log)." >&2
    exit 1
  fi
  echo "$fingerprint" > "$STAMP"
fi
exec "$DOTNET" "$BIN/_build.dll" "$@"
