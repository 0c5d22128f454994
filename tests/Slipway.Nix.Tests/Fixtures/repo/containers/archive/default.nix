# A gzip'd docker-archive, what dockerTools.buildImage / buildLayeredImage produce.
let
  version = "2.0.0";
  c = import ../../common.nix;
in c.run "docker-image-archive.tar.gz" { } ''
  bb=${c.bb}
  $bb tar -cf - -C ${c.archiveDir} manifest.json config.json busybox.tar root.tar bulk.tar app.tar | $bb gzip -n > $out
''
