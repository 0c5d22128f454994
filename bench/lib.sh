# Shared by the bench scripts: a throwaway docker-registry on a free loopback port, timing helpers.
now() { date +%s.%N; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
start_registry() { # $1 = dir; prints port
  local port; port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  mkdir -p "$1"
  cat > "$1/config.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $1/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YML
  REGISTRY_HTTP_SECRET=bench docker-registry serve "$1/config.yml" >/dev/null 2>&1 &
  echo $! > "$1/pid"
  for _ in $(seq 200); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.02; done
  echo "$port"
}
stop_registry() { [ -f "$1/pid" ] && { kill "$(cat "$1/pid")" 2>/dev/null || true; wait "$(cat "$1/pid")" 2>/dev/null || true; }; rm -rf "$1"; }
clear_skopeo_cache() { rm -f /var/lib/containers/cache/blob-info-cache-v1.* ~/.local/share/containers/cache/blob-info-cache-v1.* 2>/dev/null || true; }
