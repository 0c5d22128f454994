# A streamLayeredImage-style script: running it prints a docker-archive on stdout (manifest.json last, as
# nixpkgs' stream_layered_image.py does).
let
  version = "3.0.0";
  c = import ../../common.nix;
in c.run "stream-image" { } ''
  bb=${c.bb}
  $bb printf '#!%s sh\ncd %s\nexec %s tar -cf - busybox.tar root.tar bulk.tar app.tar config.json manifest.json\n' $bb ${c.archiveDir} $bb > $out
  $bb chmod 555 $out
''
