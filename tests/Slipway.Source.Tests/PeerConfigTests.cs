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
    public void A_nixpacks_toml_sets_start_build_and_variables_and_names_a_package_it_cannot_install()
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
        var note = Assert.Single(plan.Notes!);
        Assert.Contains("nixpacks.toml [phases.setup] nixPkgs: 'cowsay' is not installed", note);
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
