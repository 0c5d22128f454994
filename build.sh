#!/usr/bin/env bash
# Bootstrap for the Slipway build: find a .NET SDK that satisfies global.json (or install one under .nuke/temp),
# rebuild build/ only when its inputs changed, then run the compiled build with the given arguments.
set -eo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/build"
STAMP="$TEMP/build.stamp"
mkdir -p "$TEMP"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

want=$(sed -n 's/.*"version"[^"]*"\([0-9]*\.[0-9]*\)\.\([0-9]*\)".*/\1 \2/p' "$ROOT/global.json")
want_mm=${want% *}; want_band=${want#* }
sdk_ok() { # $1 = dotnet executable; true when it has a $want_mm SDK with feature band >= the pinned one
  "$1" --list-sdks 2>/dev/null | awk -v mm="$want_mm" -v band="$want_band" '{ split($1, v, "."); if (v[1]"."v[2] == mm && v[3]+0 >= band+0) ok=1 } END { exit !ok }'
}

DOTNET=""
if [ -f "$TEMP/dotnet.path" ] && [ "$TEMP/dotnet.path" -nt "$ROOT/global.json" ] && [ -x "$(cat "$TEMP/dotnet.path")" ]; then
  DOTNET=$(cat "$TEMP/dotnet.path")
elif command -v dotnet >/dev/null && sdk_ok "$(command -v dotnet)"; then
  DOTNET=$(command -v dotnet)
elif [ -x "$TEMP/dotnet-sdk/dotnet" ] && sdk_ok "$TEMP/dotnet-sdk/dotnet"; then
  DOTNET="$TEMP/dotnet-sdk/dotnet"
else
  echo "No .NET SDK $want_mm (feature band >= $want_band) on PATH; installing one into .nuke/temp/dotnet-sdk" >&2
  if ! curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh" 2>/dev/null \
     || ! bash "$TEMP/dotnet-install.sh" --channel "$want_mm" --install-dir "$TEMP/dotnet-sdk" --no-path >&2; then
    echo "Could not download the .NET SDK $want_mm (no network?). Install it and re-run, e.g.:" >&2
    echo "  apt-get install -y dotnet-sdk-$want_mm    (Microsoft's Debian feed), or see https://dotnet.microsoft.com/download" >&2
    exit 1
  fi
  DOTNET="$TEMP/dotnet-sdk/dotnet"
fi
echo "$DOTNET" > "$TEMP/dotnet.path.new" && mv "$TEMP/dotnet.path.new" "$TEMP/dotnet.path"

# Rebuild only when a source of the build (build/, src/, the props files, global.json) is newer than the stamp.
needs_build=1
if [ -f "$STAMP" ] && [ -f "$BIN/_build.dll" ]; then
  changed=$(find "$ROOT/build" "$ROOT/src" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json" \
    \( -name bin -o -name obj \) -prune -o -type f -newer "$STAMP" -print -quit 2>/dev/null)
  [ -z "$changed" ] && needs_build=0
fi
if [ "$needs_build" = 1 ]; then
  touch "$STAMP.new"
  "$DOTNET" build "$ROOT/build/_build.csproj" -c Release -o "$BIN" --nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2 \
    || { echo "The build project failed to compile (see errors above)." >&2; exit 1; }
  mv "$STAMP.new" "$STAMP"
fi
exec "$DOTNET" "$BIN/_build.dll" "$@"
