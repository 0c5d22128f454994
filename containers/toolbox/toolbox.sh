#!/bin/sh
# toolbox: small registry helpers built on curl and jq.
#   toolbox versions                     versions of the bundled tools
#   toolbox tags HOST/REPO               list tags (HTTP for loopback hosts, HTTPS otherwise)
#   toolbox manifest HOST/REPO[:TAG]     the manifest, pretty-printed
set -eu
scheme() { case "$1" in 127.0.0.1*|localhost*) echo http ;; *) echo https ;; esac; }
case "${1:-versions}" in
  versions)
    echo "toolbox $(cat /etc/toolbox-version)"
    curl --version | head -n 1
    jq --version
    ;;
  tags)
    host="${2%%/*}"; repo="${2#*/}"
    curl -fsS "$(scheme "$host")://$host/v2/$repo/tags/list" | jq -r '.tags[]'
    ;;
  manifest)
    ref="$2"; host="${ref%%/*}"; rest="${ref#*/}"; repo="${rest%:*}"; tag="latest"
    [ "$rest" != "$repo" ] && tag="${rest##*:}"
    curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
      "$(scheme "$host")://$host/v2/$repo/manifests/$tag" | jq .
    ;;
  *)
    echo "usage: toolbox versions | tags HOST/REPO | manifest HOST/REPO[:TAG]" >&2
    exit 2
    ;;
esac
