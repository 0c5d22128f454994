# Test fixtures written with builtins only (no nixpkgs): a static busybox copied into the store is the one
# tool every builder uses, and the app is a script that prints greeting.txt.
let
  system = builtins.currentSystem;
  # busybox picks its applet from argv[0], so it must be called ".../busybox": a store directory holding just it.
  # Debian's busybox-static installs /bin/busybox (= /usr/bin/busybox on merged-/usr systems).
  bindir = if builtins.pathExists /usr/bin/busybox then /usr/bin else /bin;
  bbdir = builtins.path { path = bindir; name = "busybox-static"; filter = p: t: baseNameOf p == "busybox"; };
  bb = "${bbdir}/busybox";
  run = name: env: script: builtins.derivation ({
    inherit name system;
    builder = bb;
    args = [ "sh" "-e" "-c" script ];
  } // env);
in rec {
  inherit bb run;
  busybox = run "busybox" { } ''
    bb=${bb}
    $bb mkdir -p $out/bin
    $bb cp $bb $out/bin/busybox
    for a in sh cat echo ls; do $bb ln -s busybox $out/bin/$a; done
  '';
  app = run "app" { greeting = builtins.readFile ./greeting.txt; } ''
    bb=${bb}
    $bb mkdir -p $out/share $out/bin
    $bb printf '%s' "$greeting" > $out/share/greeting
    $bb printf '#!/bin/sh\ncat %s/share/greeting\n' $out > $out/bin/hello
    $bb chmod 555 $out/bin/hello
  '';
  # Bulk data for benchmarks (bulk-lines.txt lines of numbers; 0 in tests): a big store path that does not change.
  bulk = run "bulk" { lines = builtins.readFile ./bulk-lines.txt; } ''
    bb=${bb}
    $bb mkdir -p $out
    $bb seq 1 $lines > $out/numbers
  '';
  # /bin links into busybox; built on its own so the store gives the links a fixed mtime and owner.
  rootLinks = run "root-links" { } ''
    bb=${bb}
    $bb mkdir -p $out/bin
    for a in busybox sh cat echo ls; do $bb ln -s ${busybox}/bin/$a $out/bin/$a; done
  '';
  # An unpacked docker-archive: one layer per store path (busybox also at /bin), config with real diff_ids.
  archiveDir = run "archive-dir" { } ''
    bb=${bb}
    $bb mkdir -p $out
    $bb tar -cf $out/busybox.tar -C / ${builtins.substring 1 1000 busybox}
    $bb tar -cf $out/root.tar -C ${rootLinks} bin
    $bb tar -cf $out/app.tar -C / ${builtins.substring 1 1000 app}
    $bb tar -cf $out/bulk.tar -C / ${builtins.substring 1 1000 bulk}
    set -- $($bb sha256sum $out/busybox.tar); d1=$1
    set -- $($bb sha256sum $out/root.tar); d2=$1
    set -- $($bb sha256sum $out/app.tar); d3=$1
    set -- $($bb sha256sum $out/bulk.tar); d4=$1
    $bb printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:01Z","config":{"Entrypoint":["%s/bin/hello"],"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s","sha256:%s","sha256:%s"]}}' \
      ${app} $d1 $d2 $d4 $d3 > $out/config.json
    $bb printf '[{"Config":"config.json","RepoTags":["fixture:latest"],"Layers":["busybox.tar","root.tar","bulk.tar","app.tar"]}]' > $out/manifest.json
  '';
}
