using System.Text.Json;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Cli.Tests;

/// <summary>
/// <c>slipway detect</c> and <c>slipway build-source</c> run as a user runs them (slipway hands them to
/// slipway-builder): exit codes 0 / 1 (permanent failure) / 2 (usage), the plan JSON on stdout, failures as one line.
/// </summary>
public class SourceCommandTests
{
    private static string Exe => Environment.GetEnvironmentVariable("SLIPWAY_CLI") is { Length: > 0 } cli && File.Exists(cli)
        ? cli : Path.Combine(AppContext.BaseDirectory, "slipway");

    private static Task<ToolResult> Slipway(params string[] args) =>
        ToolRunner.RunAsync(new ToolInvocation(Exe, args) { CaptureStandardOutput = true, TailLines = 500 });

    private static TempDir GoApp()
    {
        var app = new TempDir("cli-go");
        app.Write("go.mod", "module example.com/hello\n\ngo 1.19\n");
        app.Write("main.go", "package main\n\nfunc main() { println(\"hi\") }\n");
        return app;
    }

    [Fact]
    public async Task Detect_and_build_source_take_the_services_variables_with_env_as_Railpacks_CLI_does()
    {
        using var app = GoApp();
        var r = await Slipway("detect", app.Path, "--env", "RAILPACK_START_CMD=exec /app/hello --from-env", "--env", "OTHER=1");
        Assert.True(r.ExitCode == 0, string.Join("\n", r.Tail));
        using (var plan = JsonDocument.Parse(r.StandardOutput))
        {
            Assert.Equal("exec /app/hello --from-env", plan.RootElement.GetProperty("start").GetString());
            Assert.Contains("variable RAILPACK_START_CMD", plan.RootElement.GetProperty("decidedBy").EnumerateArray().Select(e => e.GetString()));
        }

        // The process environment's RAILPACK_* settings count too (a flag wins over them).
        var fromEnv = await ToolRunner.RunAsync(new ToolInvocation(Exe, ["detect", app.Path]) { CaptureStandardOutput = true, Environment = new Dictionary<string, string?> { ["RAILPACK_START_CMD"] = "exec /app/hello --process-env" } });
        Assert.True(fromEnv.ExitCode == 0, string.Join("\n", fromEnv.Tail));
        using (var plan = JsonDocument.Parse(fromEnv.StandardOutput))
            Assert.Equal("exec /app/hello --process-env", plan.RootElement.GetProperty("start").GetString());

        var bad = await Slipway("build-source", app.Path, "--output", $"oci:{app.Combine("out")}", "--env", "BAD NAME;x=1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--env 'BAD NAME;x=1': give KEY=VALUE", Assert.Single(StandardErrorLines(bad)));
    }

    [Fact]
    public async Task Detect_prints_the_plan_as_JSON_and_exits_0()
    {
        using var app = GoApp();
        var r = await Slipway("detect", app.Path, "--start-command", "exec /app/.slipway/bin/hello --verbose");
        Assert.True(r.ExitCode == 0, string.Join("\n", r.Tail));
        using var plan = JsonDocument.Parse(r.StandardOutput);
        Assert.Equal("go", plan.RootElement.GetProperty("provider").GetString());
        Assert.Equal("exec /app/.slipway/bin/hello --verbose", plan.RootElement.GetProperty("start").GetString());
        Assert.Equal(["go.mod"], plan.RootElement.GetProperty("decidedBy").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Detect_without_a_provider_exits_1_with_one_line_listing_what_each_provider_looked_for()
    {
        using var empty = new TempDir("cli-empty");
        empty.Write("README.md", "nothing to run\n");
        var r = await Slipway("detect", empty.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(r.StandardOutput);
        var line = Assert.Single(StandardErrorLines(r));
        Assert.StartsWith("slipway: detect failed: no provider matches", line);
        Assert.Contains("rust (looks for Cargo.toml)", line);
        Assert.Contains("dotnet (looks for *.csproj", line);
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_the_usage_or_the_valid_choices()
    {
        using var app = GoApp();
        var noDir = await Slipway("detect");
        Assert.Equal(2, noDir.ExitCode);
        Assert.Contains("usage: slipway detect DIR", Assert.Single(StandardErrorLines(noDir)));

        var badOutput = await Slipway("build-source", app.Path, "--output", "ftp://x/y");
        Assert.Equal(2, badOutput.ExitCode);
        Assert.Contains("Valid destinations are: oci:DIR[:TAG], docker://HOST/REPO:TAG", Assert.Single(StandardErrorLines(badOutput)));

        var escape = await Slipway("detect", app.Path, "--root-directory", "../..");
        Assert.Equal(1, escape.ExitCode);
        Assert.Contains("root directory '../..' leaves the repository", Assert.Single(StandardErrorLines(escape)));
    }

    [Fact]
    public async Task Source_bases_with_an_unknown_name_exits_2_listing_the_bases()
    {
        var r = await Slipway("source-bases", "nodejs");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(StandardErrorLines(r));
        Assert.Contains("no base image named 'nodejs'", line);
        Assert.Contains("Available bases are: busybox, debian, node, node-slim, node-runtime", line);
    }

    [Fact]
    public async Task Build_source_with_a_broken_plan_file_exits_1_naming_the_file()
    {
        using var app = GoApp();
        var plan = app.Write("plan.json", "{ \"provider\": ");
        var r = await Slipway("build-source", app.Path, "--output", $"oci:{app.Combine("out")}:v1", "--plan-file", plan);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(StandardErrorLines(r).Where(l => l.StartsWith("slipway:")));
        Assert.Contains($"{plan}:", line);
        Assert.Contains("not a build plan", line);
        Assert.False(Directory.Exists(app.Combine("out")), "nothing is written when the build fails");
    }

    [Fact]
    public async Task Build_source_publishes_to_a_registry_and_prints_the_reference_with_its_digest()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var site = new TempDir("cli-site");
        site.Write("index.html", "<h1>hello from the cli</h1>\n");
        var r = await Slipway("build-source", site.Path, "--output", $"docker://{registry.Host}/team/site:v1", "--source-date-epoch", "1700000000");
        Assert.True(r.ExitCode == 0, string.Join("\n", r.Tail));
        var printed = r.StandardOutput.Trim();
        Assert.StartsWith($"docker://{registry.Host}/team/site:v1@sha256:", printed);
        Assert.Equal(printed[(printed.IndexOf('@') + 1)..], await Skopeo.DigestAsync($"docker://{registry.Host}/team/site:v1"));
    }

    /// <summary>With stdout captured, the tail holds stderr only.</summary>
    private static List<string> StandardErrorLines(ToolResult r) => r.Tail.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
