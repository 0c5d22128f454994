#!/usr/bin/env bash
# Builder service bench: (1) overhead from submit to the SUCCEEDED callback beyond the build itself, for a build
# that is a no-op (FROM scratch + COPY of one file; the build alone is timed with buildah on the same Dockerfile);
# goal <= 2 s. (2) throughput of 20 such builds with 1 worker vs 3 workers (one process, --workers N).
# Everything runs on loopback in a temp dir: PostgreSQL, RabbitMQ, docker-registry, a file:// git repository and a
# python3 callback receiver that records arrival times. Usage: bench/builder.sh [builds=20] [all|overhead|throughput|sandbox]
# sandbox: (3) the step sandbox's cost, same run: a build of one `RUN true` step (a no-op build has no RUN, so no
# sandbox) submit → SUCCEEDED with --step-sandbox off and on (median of 5 each, warm worker), and one `RUN true` step with buildah chroot vs the sandbox (netns + pasta + nft + runc).
# BENCH_LOGS=DIR keeps the worker logs (their lines carry per-step timings in ms).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-20}
PART=${2:-all}
W=$(mktemp -d /tmp/bench-builder.XXXX); chmod 755 "$W"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RMQ=/usr/lib/rabbitmq/bin
cleanup() {
  [ -n "${BENCH_LOGS:-}" ] && { mkdir -p "$BENCH_LOGS"; cp "$W"/worker-*.log "$W/callbacks.txt" "$BENCH_LOGS"/ 2>/dev/null || true; }
  [ -n "${WORKER:-}" ] && kill "$WORKER" 2>/dev/null || true
  [ -n "${RECV:-}" ] && kill "$RECV" 2>/dev/null || true
  HOME=$W/rabbit RABBITMQ_NODENAME=$NODE ERL_EPMD_PORT=$EPMD "$RMQ/rabbitmqctl" -n "$NODE" stop >/dev/null 2>&1 || true
  epmd -port "$EPMD" -kill >/dev/null 2>&1 || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg/data" -m immediate stop >/dev/null 2>&1 || true
  stop_registry "$W/registry"
  rm -rf "$W"
}
trap cleanup EXIT

echo "building slipway-builder..."
dotnet build src/Slipway.Builder.Cli -c Release -v q -clp:ErrorsOnly -o "$W/bin" >/dev/null
SB="dotnet $W/bin/slipway-builder.dll"

# PostgreSQL (as the postgres user when root)
PGPORT=$(free_port); mkdir -p "$W/pg/sock"; chown -R postgres "$W/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$W/pg/data" -U slipway -A trust --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg/data" -l "$W/pg/log" -w -o "-p $PGPORT -k $W/pg/sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
PG="Host=127.0.0.1;Port=$PGPORT;Username=slipway;Database=postgres"

# RabbitMQ on private ports
AMQP_PORT=$(free_port); EPMD=$(free_port); NODE="bench$AMQP_PORT@localhost"; mkdir -p "$W/rabbit"
echo '[].' > "$W/rabbit/enabled_plugins"; echo 'loopback_users = none' > "$W/rabbit/rabbitmq.conf"
head -c 20 /dev/urandom | base64 | tr -dc a-zA-Z > "$W/rabbit/.erlang.cookie"; chmod 400 "$W/rabbit/.erlang.cookie"
HOME=$W/rabbit RABBITMQ_NODENAME=$NODE RABBITMQ_NODE_PORT=$AMQP_PORT RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=$(free_port) \
  ERL_EPMD_PORT=$EPMD RABBITMQ_MNESIA_BASE=$W/rabbit/mnesia RABBITMQ_LOG_BASE=$W/rabbit/log RABBITMQ_ENABLED_PLUGINS_FILE=$W/rabbit/enabled_plugins \
  RABBITMQ_CONFIG_FILE=$W/rabbit/rabbitmq.conf "$RMQ/rabbitmq-server" >/dev/null 2>&1 &
echo "waiting for RabbitMQ..."
for _ in $(seq 600); do (echo > /dev/tcp/127.0.0.1/$AMQP_PORT) 2>/dev/null && break; sleep 0.5; done
AMQP="amqp://guest:guest@127.0.0.1:$AMQP_PORT/"

REG=$(start_registry "$W/registry")

# The repository: a build that costs nothing.
git init -q -b main "$W/repo"; printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' > "$W/repo/Dockerfile"; echo hi > "$W/repo/hello.txt"
git -C "$W/repo" add -A; git -C "$W/repo" -c user.name=b -c user.email=b@b commit -qm bench
git clone -q --bare "$W/repo" "$W/repo.git"
# For the sandbox part: one RUN step (exec form, busybox from the host), so the build really makes a sandbox.
git init -q -b main "$W/repo-run"; cp /bin/busybox "$W/repo-run/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "true"]\n' > "$W/repo-run/Dockerfile"
git -C "$W/repo-run" add -A; git -C "$W/repo-run" -c user.name=b -c user.email=b@b commit -qm bench
git clone -q --bare "$W/repo-run" "$W/repo-run.git"
REPO=$W/repo.git

# Callback receiver: appends "buildId status epoch" per callback.
RPORT=$(free_port)
python3 - "$RPORT" "$W/callbacks.txt" <<'PY' &
import http.server, json, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        with open(out, 'a') as f: f.write(f"{body['buildId']} {body['status']} {time.time()}\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', port), H).serve_forever()
PY
RECV=$!
SECRET="whsec_$(head -c 32 /dev/urandom | base64)"

submit() { # $1 = queue, $2 = id
  printf '{"id":"%s","repo":"file://%s","ref":"main","tenant":"bench","service":"%s","callbackUrl":"http://127.0.0.1:%d/cb"}' "$2" "$REPO" "$1" "$RPORT" > "$W/req.json"
  $SB builder submit --amqp "$AMQP" --queue "$1" --allow-local-repos "$W/req.json" >/dev/null
}
start_worker() { # $1 = workers, $2 = queue
  BUILDER_STEP_SANDBOX=${SANDBOX:-on} $SB builder serve --amqp "$AMQP" --postgres "$PG" --registry "127.0.0.1:$REG" --callback-secret "$SECRET" --queue "$2" --workers "$1" --allow-local-repos >"$W/worker-$2.log" 2>&1 &
  WORKER=$!
}
succeeded() { grep -c " SUCCEEDED " "$W/callbacks.txt" 2>/dev/null || true; }
stop_worker() { kill "$WORKER"; wait "$WORKER" 2>/dev/null || true; WORKER=; }

run_round() { # $1 = workers, $2 = builds, $3 = queue; all requests queued first, then the worker drains them;
  # prints seconds from the first RUNNING callback to the last SUCCEEDED (worker start-up excluded)
  local workers=$1 n=$2 q=$3
  for i in $(seq "$n"); do submit "$q" "$q-$i"; done
  : > "$W/callbacks.txt"
  start_worker "$workers" "$q"
  while [ "$(succeeded)" -lt "$n" ]; do sleep 0.2; done
  stop_worker
  local first last
  first=$(grep ' RUNNING ' "$W/callbacks.txt" | awk '{print $3}' | sort -n | head -1)
  last=$(grep ' SUCCEEDED ' "$W/callbacks.txt" | awk '{print $3}' | sort -n | tail -1)
  echo "$last - $first" | bc -l
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
if [ "$PART" = sandbox ]; then
REPO=$W/repo-run.git
for SANDBOX in off on; do
  : > "$W/callbacks.txt"; start_worker 1 "sb-$SANDBOX"; submit "sb-$SANDBOX" "sb-$SANDBOX-warm"
  while [ "$(succeeded)" -lt 1 ]; do sleep 0.1; done
  for i in 1 2 3 4 5; do
    t0=$(now); submit "sb-$SANDBOX" "sb-$SANDBOX-$i"
    while [ "$(succeeded)" -lt $((i + 1)) ]; do sleep 0.05; done
    echo "$(grep "sb-$SANDBOX-$i SUCCEEDED" "$W/callbacks.txt" | awk '{print $3}') - $t0" | bc -l >> "$W/sb-$SANDBOX.txt"
  done
  stop_worker
done
OFF=$(median < "$W/sb-off.txt"); ON=$(median < "$W/sb-on.txt")
echo "one-RUN build (FROM scratch, COPY busybox, RUN true) submit → SUCCEEDED, median of 5: sandbox off $(printf %.2f "$OFF") s, on $(printf %.2f "$ON") s; sandbox adds $(printf %.2f "$(echo "$ON - $OFF" | bc -l)") s (goal ≤ 0.3 s)"
# one RUN step on a busybox root: chroot isolation vs the sandbox's network namespace + runc
S=(--storage-driver vfs --root "$W/b" --runroot "$W/b-run")
C=$(buildah "${S[@]}" from scratch); M=$(buildah "${S[@]}" mount "$C"); mkdir -p "$M/bin"; cp /bin/busybox "$M/bin/"; ln -s busybox "$M/bin/true"; ln -s busybox "$M/bin/sh"
for i in 1 2 3 4 5; do
  t0=$(now); buildah "${S[@]}" run --isolation chroot "$C" -- /bin/true; t1=$(now); echo "$t1 - $t0" | bc -l >> "$W/run-chroot.txt"
  t0=$(now); ns=slipway-bench-$$-$i; ip netns add "$ns"
  pasta --quiet --runas 0 --config-net -T none -U none -t none -u none --no-map-gw --netns "/run/netns/$ns" </dev/null >/dev/null 2>&1
  printf 'table inet t {\n chain o {\n  type filter hook output priority 0; policy accept;\n  ip daddr 127.0.0.0/8 reject\n }\n}\n' | ip netns exec "$ns" nft -f -
  buildah "${S[@]}" run --isolation oci --runtime runc --network "ns:/run/netns/$ns" --pid private --ipc private --uts private --cgroupns private --cap-drop CAP_NET_RAW "$C" -- /bin/true
  ip netns delete "$ns"; t1=$(now); echo "$t1 - $t0" | bc -l >> "$W/run-sandbox.txt"
done
buildah "${S[@]}" rm "$C" >/dev/null
echo "one RUN step, median of 5: chroot $(printf %.2f "$(median < "$W/run-chroot.txt")") s, sandbox $(printf %.2f "$(median < "$W/run-sandbox.txt")") s"
exit 0
fi

if [ "$PART" != throughput ]; then
# (1) the build alone, with the same tool and flags family the source engine uses
t0=$(now); buildah --storage-driver vfs --root "$W/b" --runroot "$W/b-run" build --isolation chroot --layers=false --format oci -t "oci:$W/alone:x" "$W/repo" >/dev/null 2>&1; t1=$(now)
BUILD=$(echo "$t1 - $t0" | bc -l)
# one request to a warm worker: from starting `slipway builder submit` to the SUCCEEDED callback
: > "$W/callbacks.txt"; start_worker 1 single; submit single warm
# the timed request goes in once the warm one is done (the worker's first build pays its JIT)
while [ "$(succeeded)" -lt 1 ]; do sleep 0.1; done
t0=$(now); submit single timed
while [ "$(succeeded)" -lt 2 ]; do sleep 0.05; done
ONE=$(echo "$(grep 'timed SUCCEEDED' "$W/callbacks.txt" | awk '{print $3}') - $t0" | bc -l)
stop_worker
echo "build alone (buildah): $(printf %.2f "$BUILD") s; submit → SUCCEEDED: $(printf %.2f "$ONE") s; overhead: $(printf %.2f "$(echo "$ONE - $BUILD" | bc -l)") s (goal ≤ 2 s)"

fi
[ "$PART" = overhead ] && exit 0
# (2) throughput
T1=$(run_round 1 "$N" one)
T3=$(run_round 3 "$N" three)
echo "$N builds, 1 worker:  $(printf %.1f "$T1") s ($(printf %.2f "$(echo "$N / $T1" | bc -l)") builds/s)"
echo "$N builds, 3 workers: $(printf %.1f "$T3") s ($(printf %.2f "$(echo "$N / $T3" | bc -l)") builds/s); speed-up $(ratio "$T1" "$T3")x"
