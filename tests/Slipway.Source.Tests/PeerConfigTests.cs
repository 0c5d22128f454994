using Slipway.Source.Imaging;
using Slipway.Source.Plan;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>nixpacks.toml and railpack.json over the detected plan, and `slipway detect` naming the file and key that set each value.</summary>
public sealed class PeerConfigTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    [Fact]
    public void A_nixpacks_toml_sets_start_build_variables_and_its_packages_as_Debian_packages()
    {
        using var app = new TempDir("nixpacks");
        app.Write("start.sh", "echo hi\n");
        app.Write("nixpacks.toml", """
            [variables]
            GREETING = "moo"

            [phases.setup]
            nixPkgs = ["...", "cowsay"]

            [phases.build]
            cmds = ["...", "echo built > built.txt"]

            [start]
            cmd = "cowsay $GREETING"
            """);
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("cowsay $GREETING", plan.Start);
        Assert.Equal(["echo built > built.txt"], plan.Build);
        Assert.Equal("moo", plan.Env["GREETING"]);
        Assert.Equal("moo", plan.BuildEnv["GREETING"]);
        // Nixpacks builds and runs in one image: the package goes on both bases.
        Assert.Equal(["cowsay"], plan.BuildSystemPackages);
        Assert.Equal(["cowsay"], plan.RuntimeSystemPackages);
        Assert.Null(plan.Notes);
        Assert.Contains("nixpacks.toml [start] cmd", plan.DecidedBy);
        Assert.Contains("nixpacks.toml [phases.build] cmds", plan.DecidedBy);
    }

    [Fact]
    public void A_railpack_json_picks_the_provider_keeps_the_providers_commands_for_dots_and_wins_over_nixpacks_toml()
    {
        using var app = new TempDir("railpack");
        app.Write("package.json", """{ "name": "a", "scripts": { "start": "node index.js", "build": "tsc" } }""");
        app.Write("start.sh", "echo shell\n");
        app.Write("nixpacks.toml", "[start]\ncmd = \"from nixpacks\"\n");
        app.Write("railpack.json", """
            {
              "$schema": "https://schema.railpack.com",
              // comments are allowed, as Railpack reads it
              "provider": "node",
              "steps": { "build": { "commands": ["...", "npm ci"] } },
              "deploy": { "startCommand": "node other.js", "variables": { "MODE": "x" } },
            }
            """);
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("node", plan.Provider);
        Assert.Equal("node other.js", plan.Start);
        Assert.Equal(["npm run build", "npm ci"], plan.Build.Where(b => !b.StartsWith("npm prune")));
        Assert.Equal("x", plan.Env["MODE"]);
        Assert.Contains("railpack.json deploy.startCommand", plan.DecidedBy);
        Assert.Contains("railpack.json provider", plan.DecidedBy);
    }

    [Fact]
    public void Railpack_packages_map_to_Debian_packages_by_stage_and_a_name_with_no_mapping_is_one_note()
    {
        using var app = new TempDir("railpack-packages");
        app.Write("package.json", """{ "name": "a", "main": "index.js" }""");
        app.Write("railpack.json", """
            {
              "packages": { "python": "latest", "node": "22", "nodejs_20": "*" },
              "buildAptPackages": ["lsb-release", "libpq-dev"],
              "deploy": { "aptPackages": ["lsb-release", "cowsay"] }
            }
            """);
        var plan = new Detector(Mirrors).Detect(app.Path);
        // mise's python is Debian's python3 with the `python` command; apt packages stay in the stage that names them.
        Assert.Equal(["libpq-dev", "lsb-release", "python-is-python3", "python3"], plan.BuildSystemPackages);
        Assert.Equal(["cowsay", "lsb-release", "python-is-python3", "python3"], plan.RuntimeSystemPackages);
        Assert.Equal(2, plan.Notes!.Count);
        Assert.Contains(plan.Notes, n => n.StartsWith("railpack.json packages: 'node' is the node provider's own"));
        Assert.Contains(plan.Notes, n => n.StartsWith("railpack.json packages: 'nodejs_20' has no Debian mapping"));
        Assert.All(plan.Notes, n => Assert.DoesNotContain('\n', n));
    }

    [Fact]
    public void The_services_RAILPACK_and_NIXPACKS_package_variables_map_like_the_files()
    {
        using var app = new TempDir("package-variables");
        app.Write("start.sh", "echo hi\n");
        var plan = new Detector(Mirrors).Detect(app.Path, variables: new Dictionary<string, string>
        {
            ["RAILPACK_BUILD_APT_PACKAGES"] = "make",
            ["RAILPACK_DEPLOY_APT_PACKAGES"] = "curl",
            ["NIXPACKS_PKGS"] = "jq",
        });
        Assert.Equal(["jq", "make"], plan.BuildSystemPackages);
        Assert.Equal(["curl", "jq"], plan.RuntimeSystemPackages);
    }

    /// <summary>
    /// A package name reaches apt-get's argv (no shell): a leading '-' would be read as an apt option
    /// (`-oAPT::Update::Pre-Invoke::=CMD` runs CMD as root in the base's chroot), shell syntax would run in any
    /// shell that read it, NUL cuts the argument. Each is refused before any base is made, in one line naming the key.
    /// </summary>
    [Theory]
    [InlineData("-oAPT::Update::Pre-Invoke::=touch /tmp/pwned")]
    [InlineData("--allow-unauthenticated")]
    [InlineData("cow$(touch /tmp/pwned)")]
    [InlineData("cow;rm -rf /")]
    [InlineData("cow\u0000say")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public void A_hostile_package_name_is_refused_in_one_line_naming_the_key(string name)
    {
        using var app = new TempDir("railpack-hostile-package");
        app.Write("start.sh", "echo hi\n");
        app.Write("railpack.json", System.Text.Json.JsonSerializer.Serialize(new { deploy = new { aptPackages = new[] { name } } }));
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.Equal("detect", e.Step);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\0', e.Message);
        Assert.StartsWith("railpack.json deploy.aptPackages: '", e.Message);
        Assert.Contains("is not a package name", e.Message);

        var huge = new string('a', 5000);
        app.Write("nixpacks.toml", $"[phases.setup]\naptPkgs = [\"{huge}\"]\n");
        File.Delete(Path.Combine(app.Path, "railpack.json"));
        var big = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.True(big.Message.Length < 400, big.Message);
        Assert.StartsWith("nixpacks.toml [phases.setup] aptPkgs: '", big.Message);
    }

    [Fact]
    public void A_valid_name_Debian_lacks_fails_the_install_with_one_line_naming_it()
    {
        var line = SystemPackages.UnknownPackageLine(["Reading package lists...", "E: Unable to locate package python311"], "bookworm");
        Assert.Equal("Debian bookworm has no package named 'python311', asked for by the app's peer config (railpack.json / nixpacks.toml / RAILPACK_*_PACKAGES); name an existing Debian package or remove it", line);
        Assert.Null(SystemPackages.UnknownPackageLine(["E: Failed to fetch"], "bookworm"));
    }

    [Fact]
    public void An_unknown_provider_in_a_peer_config_is_one_line_listing_the_valid_ones()
    {
        using var app = new TempDir("railpack-bad");
        app.Write("railpack.json", """{ "provider": "cobol" }""");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("railpack.json provider: provider 'cobol' is not known; valid providers: node, python, go", e.Message);
    }

    [Fact]
    public void A_peer_config_with_only_a_start_command_is_an_app()
    {
        using var app = new TempDir("nixpacks-only");
        app.Write("nixpacks.toml", "[start]\ncmd = \"echo hello\"\n");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("echo hello", plan.Start);
    }
}

/// <summary>One network setting for every build container: CA bundle, proxy and registries, the same for every package manager.</summary>
public sealed class BuildNetworkTests
{
    [Fact]
    public void The_host_CA_bundle_with_the_extra_CA_the_proxy_and_the_registries_reach_every_package_manager()
    {
        using var dir = new TempDir("network");
        var hostBundle = dir.Write("host.crt", "-----BEGIN CERTIFICATE-----\nHOST\n-----END CERTIFICATE-----\n");
        var extra = dir.Write("extra.crt", "-----BEGIN CERTIFICATE-----\nPROXY\n-----END CERTIFICATE-----\n");
        var hostEnv = new Dictionary<string, string> { ["https_proxy"] = "http://127.0.0.1:3128", ["NO_PROXY"] = "localhost,127.0.0.1" };
        var mirrors = new PackageMirrors { Npm = "https://npm.example/", PyPI = "https://pypi.example/simple", GoProxy = "https://go.example", Crates = "sparse+https://crates.example/", NuGet = "https://nuget.example/v3/index.json", CaFile = extra };
        var network = BuildNetwork.For(mirrors, dir.Combine("work"), n => hostEnv.GetValueOrDefault(n), hostBundle);

        var bundle = Assert.Single(network.Files, f => f.Value == BuildNetwork.CaBundlePath).Key;
        Assert.Contains("HOST", File.ReadAllText(bundle));
        Assert.Contains("PROXY", File.ReadAllText(bundle));
        Assert.Contains($"cafile = \"{BuildNetwork.CaBundlePath}\"", File.ReadAllText(Assert.Single(network.Files, f => f.Value == BuildNetwork.BunfigPath).Key));
        var env = network.Environment;
        // Trust: OpenSSL (dotnet/NuGet, go, uv), node (npm, pnpm, yarn), npm's own setting, pip, cargo, git.
        foreach (var v in new[] { "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_CAFILE", "PIP_CERT", "REQUESTS_CA_BUNDLE", "UV_CERT_FILE", "CARGO_HTTP_CAINFO", "GIT_SSL_CAINFO" })
            Assert.Equal(BuildNetwork.CaBundlePath, env[v]);
        Assert.False(env.ContainsKey("YARN_CA_FILE_PATH")); // yarn 4 stops on it ("legacy configuration settings"); node's NODE_EXTRA_CA_CERTS serves yarn
        // Proxy in both spellings, yarn berry's own.
        Assert.Equal("http://127.0.0.1:3128", env["HTTPS_PROXY"]);
        Assert.Equal("http://127.0.0.1:3128", env["https_proxy"]);
        Assert.Equal("http://127.0.0.1:3128", env["YARN_HTTPS_PROXY"]);
        Assert.Equal("localhost,127.0.0.1", env["no_proxy"]);
        // Registries.
        Assert.Equal("https://npm.example/", env["NPM_CONFIG_REGISTRY"]);
        Assert.Equal("https://npm.example/", env["BUN_CONFIG_REGISTRY"]);
        Assert.False(env.ContainsKey("YARN_REGISTRY")); // yarn 1 reads NPM_CONFIG_REGISTRY; yarn 2 refuses YARN_REGISTRY
        Assert.Equal("https://npm.example", env["YARN_NPM_REGISTRY_SERVER"]);
        Assert.Equal("https://pypi.example/simple", env["PIP_INDEX_URL"]);
        Assert.Equal("https://pypi.example/simple", env["UV_DEFAULT_INDEX"]);
        Assert.Equal("https://nuget.example/v3/index.json", env["RestoreSources"]);
        Assert.Equal("https://go.example", env["GOPROXY"]);
        Assert.Equal("sparse+https://crates.example/", env["CARGO_REGISTRIES_CRATES_IO_INDEX"]);
    }
}
