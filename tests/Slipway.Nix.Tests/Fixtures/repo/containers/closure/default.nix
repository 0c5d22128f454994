# Slipway's own image function over the fixture closure.
let
  version = "1.2.3";
  c = import ../../common.nix;
  image = import ../../nix/image.nix;
in image {
  name = "closure";
  copyToRoot = [ c.busybox ];
  contents = [ c.app c.bulk ];
  config = { Entrypoint = [ "${c.app}/bin/hello" ]; Env = { PATH = "/bin"; }; };
  maxLayers = 10;
  shell = "${c.busybox}/bin/sh";
}
