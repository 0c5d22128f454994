#!/usr/bin/env bash
# ListImages of one repository with many tags (default 500, each its own image config naming its own commit)
# side by side with what a user would script instead: `skopeo list-tags` plus one `skopeo inspect` per tag.
# Same registry, same run. Needs docker-registry, skopeo, git, python3, curl-free (python pushes the images).
#   bench/list-images.sh            # BENCH_TAGS=500 BENCH_RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
tags=${BENCH_TAGS:-500}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d /tmp/bench-list-images.XXXXXX)
trap 'stop_registry "$work/registry"; rm -rf "$work"' EXIT
port=$(start_registry "$work/registry")
repo="$work/mono"
mkdir -p "$repo/containers/hello"
printf 'ARG CONTAINER_APP_VERSION=1.0.0\nFROM scratch\nCOPY message.txt /message.txt\n' > "$repo/containers/hello/Dockerfile"
echo hello > "$repo/containers/hello/message.txt"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=b -c user.email=b@b add -A
git -C "$repo" -c user.name=b -c user.email=b@b commit -q -m init
# One commit per image; every 5th on a branch that main never gets (so marks are mixed).
python3 - "$repo" "$tags" <<'PY'
import subprocess, sys
repo, n = sys.argv[1], int(sys.argv[2])
def git(*a, env=None):
    return subprocess.run(["git", "-C", repo, "-c", "user.name=b", "-c", "user.email=b@b", *a], check=True, capture_output=True, text=True, env=env).stdout.strip()
import os
main = git("rev-parse", "HEAD")
shas = []
for i in range(n):
    env = dict(os.environ, GIT_AUTHOR_DATE=f"{1700000000 + i * 60} +0000", GIT_COMMITTER_DATE=f"{1700000000 + i * 60} +0000")
    parent = main
    tree = git("rev-parse", "HEAD^{tree}")
    sha = git("commit-tree", tree, "-p", parent, "-m", f"c{i}", env=env)
    if i % 5 != 4:
        main = sha
    shas.append((sha, 1700000000 + i * 60))
git("update-ref", "refs/heads/main", main)
open(os.path.join(repo, ".commits"), "w").write("\n".join(f"{s} {t}" for s, t in shas))
PY
# Push one image per commit straight over the distribution API: one shared layer, a config per commit.
python3 - "$port" "$repo/.commits" <<'PY'
import hashlib, http.client, io, json, sys, tarfile, gzip, datetime
port, commits = int(sys.argv[1]), [l.split() for l in open(sys.argv[2]).read().split("\n") if l]
c = http.client.HTTPConnection("127.0.0.1", port)
def put_blob(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    c.request("POST", "/v2/team/hello/blobs/uploads/"); r = c.getresponse(); r.read(); loc = r.getheader("Location")
    sep = "&" if "?" in loc else "?"
    c.request("PUT", f"{loc}{sep}digest={d}", body=data, headers={"Content-Type": "application/octet-stream"}); r = c.getresponse(); r.read()
    assert r.status == 201, r.status
    return d
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    info = tarfile.TarInfo("message.txt"); payload = b"hello\n"; info.size = len(payload); t.addfile(info, io.BytesIO(payload))
tar = buf.getvalue(); layer = gzip.compress(tar, mtime=0)
ld = put_blob(layer); diff = "sha256:" + hashlib.sha256(tar).hexdigest()
for sha, t in commits:
    created = datetime.datetime.fromtimestamp(int(t), datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    labels = {"org.opencontainers.image.revision": sha, "org.opencontainers.image.version": "1.0.0", "org.opencontainers.image.created": created}
    cfg = json.dumps({"created": created, "architecture": "amd64", "os": "linux", "config": {"Labels": labels}, "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode()
    cd = put_blob(cfg)
    m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(cfg)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ld, "size": len(layer)}]}).encode()
    c.request("PUT", f"/v2/team/hello/manifests/v1.0.0-{sha[:7]}", body=m, headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"}); r = c.getresponse(); r.read()
    assert r.status == 201, r.status
PY
target="127.0.0.1:$port/team"
listing() { ./build.sh ListImages --root "$repo" --registry "$target" --json --no-logo > "$work/list.out" 2>&1; }
cold() { rm -rf "$repo/.nuke/temp/image-configs"; listing; }
skopeo_loop() {
  skopeo list-tags --tls-verify=false "docker://$target/hello" > "$work/tags.json"
  python3 -c 'import json,sys;print("\n".join(json.load(open(sys.argv[1]))["Tags"]))' "$work/tags.json" |
    while read -r t; do skopeo inspect --tls-verify=false "docker://$target/hello:$t" > /dev/null; done
}
best() { local b=""; for _ in $(seq "$runs"); do t0=$(now); "$1"; t1=$(now); d=$(echo "$t1 - $t0" | bc -l); if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi; done; echo "$b"; }
listing || { echo "./build.sh ListImages failed:" >&2; tail -30 "$work/list.out" >&2; exit 1; } # compiles the build once, outside the timing
grep -q '"mark": "branch"' "$work/list.out" || { echo "ListImages did not mark branch builds:" >&2; tail -20 "$work/list.out" >&2; exit 1; }
listed=$(grep -c '"tag":' "$work/list.out")
t_cold=$(best cold)
t_warm=$(best listing)
t_skopeo=$(best skopeo_loop)
printf '%d tags listed by ListImages\n' "$listed"
printf 'ListImages (configs not cached):   %.2f s  (%.2fx skopeo)\n' "$t_cold" "$(echo "$t_cold / $t_skopeo" | bc -l)"
printf 'ListImages (config cache warm):    %.2f s  (%.2fx skopeo)\n' "$t_warm" "$(echo "$t_warm / $t_skopeo" | bc -l)"
printf 'skopeo list-tags + inspect per tag: %.2f s\n' "$t_skopeo"
