# A nix2container image JSON (types.Image version 1) pointing at real store paths, as nix2container.buildImage
# writes it: busybox's tree copied to / by a rewrite, the app at its store path. nix2container's own digests of
# its uncompressed tars are recorded but Slipway computes its own compressed layers.
let
  version = "0.4.0";
  c = import ../../common.nix;
  fake = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
  image = {
    version = 1;
    image-config = { Entrypoint = [ "${c.app}/bin/hello" ]; Env = [ "PATH=/bin" ]; WorkingDir = "/"; };
    layers = [
      { digest = fake; size = 0; diff_ids = fake; mediatype = "application/vnd.oci.image.layer.v1.tar";
        paths = [ { path = "${c.busybox}"; } { path = "${c.busybox}"; options = { rewrite = { regex = "^${c.busybox}"; repl = ""; }; }; } ]; }
      { digest = fake; size = 0; diff_ids = fake; mediatype = "application/vnd.oci.image.layer.v1.tar";
        paths = [ { path = "${c.app}"; options = { perms = [ { regex = "${c.app}/share/greeting"; mode = "0644"; uid = 0; gid = 0; } ]; }; } ]; }
    ];
    arch = "amd64";
    created = "1970-01-01T00:00:01Z";
  };
in c.run "image-n2c.json" { json = builtins.toJSON image; } ''${c.bb} printf '%s' "$json" > $out''
