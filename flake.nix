{
  # Nix images of this monorepo. Every packages.<system>.<name>-image is published by Slipway as image <name>:
  #
  #   ./build.sh PushImages                       # all methods
  #   ./build.sh BuildNixImages                   # Nix images only
  #
  # Slipway runs `nix build .#packages.<system>.<name>-image` (enabling nix-command and flakes itself), reads
  # the nix2container image JSON and pushes layers streamed from the store: no image tarball is written, and a
  # layer that is already in the registry costs one HEAD request. See docs/nix.md.
  description = "Slipway container images built with Nix (nix2container)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nix2container = {
      url = "github:nlewo/nix2container";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    attic = {
      url = "github:zhaofengli/attic";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nix2container, attic }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f system);
    in
    {
      packages = forAllSystems (system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          n2c = nix2container.packages.${system}.nix2container;
          attic-server = attic.packages.${system}.attic-server;
        in
        {
          # The attic binary cache server. The binary is `atticd` (not attic-server); copyToRoot puts it at
          # /bin/atticd. `--mode monolithic` runs the API server, garbage collection and the database
          # migrations on start, so a fresh database is ready without a separate migration job.
          # Configure it with ATTIC_SERVER_CONFIG_BASE64 (a base64 server.toml) or mount one and add --config.
          attic-server-image = n2c.buildImage {
            name = "attic-server";
            copyToRoot = pkgs.buildEnv {
              name = "attic-server-root";
              paths = [ attic-server pkgs.cacert ];
              pathsToLink = [ "/bin" "/etc" ];
            };
            config = {
              Entrypoint = [ "${attic-server}/bin/atticd" "--mode" "monolithic" ];
              Env = [ "SSL_CERT_FILE=${pkgs.cacert}/etc/ssl/certs/ca-bundle.crt" ];
              ExposedPorts = { "8080/tcp" = { }; };
              Labels = { "org.opencontainers.image.title" = "attic-server"; };
            };
            # Big dependencies (glibc, openssl, ...) get their own layers, shared between images and rebuilds.
            maxLayers = 40;
          } // { meta.version = attic-server.version or null; };
        });
    };
}
