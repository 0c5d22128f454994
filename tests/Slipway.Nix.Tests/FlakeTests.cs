using Slipway.Images.Methods;
using Slipway.Images.Pipeline;
using Slipway.Nix.Tests.Support;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.Nix.Tests;

/// <summary>Flake discovery and builds with real nix. Flakes here have no inputs (no GitHub) except where the failure is the point.</summary>
public sealed class FlakeTests(ITestOutputHelper output)
{
    private static string SystemName => NixCli.CurrentSystem;

    [Fact]
    public async Task Flake_image_packages_are_discovered_by_evaluation_and_built_from_nix2container_json()
    {
        using var repo = new TempDir("flake");
        // A flake whose image is a nix2container-format JSON over a real store path; pure evaluation, so the
        // builder is /bin/sh by name and writes with shell builtins only.
        File.WriteAllText(repo.Combine("flake.nix"), $$"""
            {
              outputs = { self }: let
                system = "{{SystemName}}";
                sh = name: env: script: builtins.derivation ({ inherit name system; builder = "/bin/sh"; args = [ "-c" script ]; } // env);
                payload = sh "payload" { } "printf 'payload v1' > $out";
                image = {
                  version = 1; arch = "amd64"; created = "1970-01-01T00:00:01Z";
                  image-config = { Cmd = [ "/payload" ]; Labels = { "org.example" = "yes"; }; };
                  layers = [ { digest = ""; size = 0; diff_ids = ""; mediatype = "application/vnd.oci.image.layer.v1.tar";
                               paths = [ { path = "${payload}"; options.rewrite = { regex = "^${payload}"; repl = "/payload"; }; } ]; } ];
                };
              in {
                packages.${system} = {
                  demo-image = (sh "image-demo.json" { json = builtins.toJSON image; } ''printf '%s' "$json" > $out'') // { meta.version = "4.5.6"; };
                  payload-only = payload;
                };
              };
            }
            """);
        using var cache = new TempDir("flakecache");
        var method = new NixMethod(new NixMethodOptions { CacheDirectory = cache.Path });
        var definition = Assert.Single(await method.DiscoverAsync(repo.Path, default));
        Assert.Equal("demo", definition.Name);
        Assert.Equal("demo-image", definition.Attribute);
        Assert.Equal("4.5.6", definition.Version);
        Assert.Equal("", definition.TagSuffix);
        Assert.Null(method.CheckToolchain(definition));

        using var work = new TempDir("flakework");
        var context = new BuildContext { Root = repo.Path, WorkDirectory = work.Path, Log = output.WriteLine };
        Assert.StartsWith("nix.drv=/nix/store/", Assert.Single(await method.ExtraInputsAsync(definition, context, default)));
        var image = await method.BuildAsync(definition, context, default);
        var layer = Assert.IsType<StreamedLayerBlob>(Assert.Single(image.Layers));
        Assert.Equal(MediaTypes.OciLayerGzip, layer.Descriptor.MediaType);
        // Our config names OUR tar's digest, never nix2container's placeholder.
        var config = OciJson.Deserialize<ImageConfig>(((Slipway.Oci.Content.BytesBlob)image.Config).Content.Span, "config");
        Assert.Equal(layer.DiffId, Assert.Single(config.RootFs.DiffIds));
        Assert.Equal(["/payload"], config.Config!.Cmd);
        // The rewritten store path is the file /payload.
        await using var s = await layer.OpenReadAsync(default);
        using var gz = new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gz);
        var entry = tar.GetNextEntry()!;
        Assert.Equal("payload", entry.Name);
        Assert.Equal("payload v1", new StreamReader(entry.DataStream!).ReadToEnd());
    }

    [Fact]
    public async Task Unreachable_flake_input_is_a_toolchain_problem_naming_the_input()
    {
        using var repo = new TempDir("flakenet");
        File.WriteAllText(repo.Combine("flake.nix"), """
            {
              inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
              outputs = { self, nixpkgs }: {
                packages.x86_64-linux.web-image = nixpkgs.legacyPackages.x86_64-linux.hello;
                packages.aarch64-linux.web-image = nixpkgs.legacyPackages.aarch64-linux.hello;
              };
            }
            """);
        var method = new NixMethod();
        var definition = Assert.Single(await method.DiscoverAsync(repo.Path, default)); // from the text, since it cannot be evaluated
        Assert.Equal("web", definition.Name);
        var problem = method.CheckToolchain(definition);
        Assert.NotNull(problem);
        output.WriteLine(problem.ToString());
        Assert.Contains("flake input 'nixpkgs' (github:NixOS/nixpkgs/nixos-24.11)", problem.Reason);
        Assert.Contains("flake archive", problem.InstallCommand);
    }

    [Fact]
    public async Task Missing_nix_is_a_toolchain_problem_with_the_install_command()
    {
        using var repo = new TempDir("nonix");
        RepoPaths.CopyFixtureRepo(repo.Path);
        var method = new NixMethod(nixInstalled: () => false);
        var definitions = await method.DiscoverAsync(repo.Path, default);
        Assert.Equal(["archive", "closure", "n2c", "stream"], definitions.Select(d => d.Name).Order().ToArray());
        var problem = method.CheckToolchain(definitions[0]);
        Assert.NotNull(problem);
        Assert.Contains("nix is not installed", problem.Reason);
        Assert.Contains("apt-get install -y nix-bin", problem.InstallCommand);
    }

    /// <summary>
    /// A fresh machine without network: whether nix meets the unreachable input while listing the flake (second
    /// run) or only once the build starts (first run, nix installed by Setup after discovery; or a flake whose
    /// listing needs no input), the image is skipped with the reason and the fix, run after run; --strict fails it.
    /// </summary>
    [Theory]
    [InlineData("input met at discovery")]
    [InlineData("nix installed after discovery")]
    [InlineData("input met only by the derivation")]
    public async Task An_unreachable_input_skips_the_image_on_the_first_and_every_later_run(string when)
    {
        using var repo = new TempDir("flakeoffline");
        var closedPort = FreePort.Next();
        File.WriteAllText(repo.Combine("flake.nix"), when == "input met only by the derivation"
            ? $$"""
              {
                outputs = { self }: {
                  packages.{{SystemName}}.web-image = builtins.derivation {
                    name = "web"; system = "{{SystemName}}"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ];
                    src = builtins.fetchTarball { url = "http://127.0.0.1:{{closedPort}}/src.tar.gz"; sha256 = "0000000000000000000000000000000000000000000000000000"; };
                  } // { meta.version = "1.0.0"; };
                };
              }
              """
            : """
              {
                inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
                outputs = { self, nixpkgs }: {
                  packages.x86_64-linux.web-image = nixpkgs.legacyPackages.x86_64-linux.hello;
                  packages.aarch64-linux.web-image = nixpkgs.legacyPackages.aarch64-linux.hello;
                };
              }
              """);
        await Git(repo.Path, "init", "-q", "-b", "main");
        await Git(repo.Path, "add", "-A");
        await Git(repo.Path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "flake");

        foreach (var run in new[] { "first run", "second run", "strict run" })
        {
            // Setup installs nix between discovery and the build only on a fresh machine's first run.
            var installed = when != "nix installed after discovery" || run != "first run";
            var discovered = false;
            var method = new NixMethod(nixInstalled: () => installed || discovered);
            var pipeline = new ImagePipeline(new ImagePipelineOptions
            {
                Root = repo.Path,
                Methods = [method],
                Registry = "oci:" + repo.Combine("out"),
                Strict = run == "strict run",
                Environment = new Dictionary<string, string?>(),
                ReportPath = repo.Combine("report.json"),
            });
            await pipeline.PlanAsync();
            discovered = true;
            var result = Assert.Single(await pipeline.BuildAsync());
            output.WriteLine($"{run}: {result.Status}: {result.Reason}");
            Assert.Equal(run == "strict run" ? ImageStatus.Failed : ImageStatus.Skipped, result.Status);
            Assert.Contains(when == "input met only by the derivation" ? $"http://127.0.0.1:{closedPort}/src.tar.gz" : "flake input 'nixpkgs' (github:NixOS/nixpkgs/nixos-24.11)", result.Reason);
            Assert.Contains("is unreachable", result.Reason);
            Assert.Contains("run where", result.Reason);
        }
    }

    private static Task Git(string cwd, params string[] args) =>
        Slipway.Tooling.ToolRunner.RunCheckedAsync(new Slipway.Tooling.ToolInvocation("git", args) { WorkingDirectory = cwd });
}
