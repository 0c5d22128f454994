# Slipway's image function: needs no nixpkgs, only Nix and a POSIX shell.
#
#   let image = import ./nix/image.nix; in
#   image {
#     name = "hello";
#     copyToRoot = [ hello ];                     # their trees appear at / (e.g. /bin/hello)
#     config = { Entrypoint = [ "/bin/hello" ]; Env = [ "LANG=C.UTF-8" ]; };
#     maxLayers = 50;
#   }
#
# The result is a small JSON file: the closure of everything the image needs (every store path with its
# references, from exportReferencesGraph), the OCI config and the layer budget. Slipway reads it and builds the
# layers itself, straight from the store: store paths grouped by popularity into at most maxLayers layers,
# deterministic, streamed at push time. No image tarball is ever written.
#
# config takes OCI image-config fields (User, ExposedPorts, Env, Entrypoint, Cmd, Volumes, WorkingDir, Labels,
# StopSignal); names are matched case-insensitively, so entrypoint/cmd/env/workingDir/labels work too.
# Env may be a list of "K=V" strings or an attribute set.
{ name
, copyToRoot ? [ ]
, contents ? [ ]          # store paths to include at /nix/store only (copyToRoot paths are included anyway)
, config ? { }
, maxLayers ? 50
, system ? builtins.currentSystem
, shell ? "/bin/sh"       # any POSIX sh; only its builtins are used. With nixpkgs: "${pkgs.dash}/bin/dash"
}:
let
  toList = x: if builtins.isList x then x else [ x ];
  envList = e: if builtins.isAttrs e then map (k: "${k}=${toString e.${k}}") (builtins.attrNames e) else e;
  normalized = config // (if config ? Env then { Env = envList config.Env; } else { })
                      // (if config ? env then { env = envList config.env; } else { });
  configJson = builtins.toJSON normalized;
  rootPaths = toList copyToRoot;
  extraPaths = toList contents;

  # Its output mentions every store path the config and contents name, so its closure is exactly the image's.
  roots = builtins.derivation {
    name = "${name}-image-roots";
    inherit system;
    builder = shell;
    args = [ "-c" ''printf '%s\n%s\n%s\n' "$config" "$copyToRoot" "$contents" > "$out"'' ];
    config = configJson;
    copyToRoot = rootPaths;
    contents = extraPaths;
  };
in
builtins.derivation {
  name = "${name}-image.json";
  inherit system;
  builder = shell;
  args = [ ./image-builder.sh ];
  exportReferencesGraph = [ "closure" roots ];
  imageName = name;
  config = configJson;
  copyToRoot = rootPaths;
  maxLayers = toString maxLayers;
  rootsPath = roots;
}
