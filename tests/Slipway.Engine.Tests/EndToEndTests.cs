using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Engine.Tests;

/// <summary>Runs ./build.sh on a temporary copy of a small build, as a user would.</summary>
public class EndToEndTests : IClassFixture<EndToEndTests.FixtureRepo>
{
    public sealed class FixtureRepo : IDisposable
    {
        public TempDir Dir { get; } = new("e2e-build");

        public FixtureRepo()
        {
            var root = GenerationTests.FindRepoRoot();
            foreach (var f in new[] { "build.sh", "global.json", "Directory.Build.props", "Directory.Packages.props" })
                File.Copy(Path.Combine(root, f), Dir.Combine(f));
            foreach (var project in new[] { "Slipway.Engine", "Slipway.Tooling" })
                CopyDirectory(Path.Combine(root, "src", project), Dir.Combine("src", project));
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "build"), Dir.Combine("build"));
            Directory.CreateDirectory(Dir.Combine(".nuke"));
            File.WriteAllText(Dir.Combine(".nuke", "parameters.json"), "{ \"Name\": \"from-json\" }");
        }

        private static void CopyDirectory(string from, string to)
        {
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(from, file);
                if (rel.Split('/').Any(p => p is "bin" or "obj")) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, rel))!);
                File.Copy(file, Path.Combine(to, rel));
            }
        }

        public Task<ToolResult> RunAsync(params string[] args) =>
            ToolRunner.RunAsync(new ToolInvocation(Dir.Combine("build.sh"), args)
            {
                WorkingDirectory = Dir.Path, CaptureStandardOutput = true,
                Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["CI"] = null, ["GITHUB_ACTIONS"] = null },
            });

        public void Dispose() => Dir.Dispose();
    }

    private readonly FixtureRepo _repo;
    public EndToEndTests(FixtureRepo repo) => _repo = repo;

    [Fact]
    public async Task Failing_target_gives_exit_code_1_and_a_summary_naming_it_while_assured_targets_run()
    {
        var r = await _repo.RunAsync("Bad", "--token", "tok-secret-123");
        Assert.Equal(1, r.ExitCode);
        var output = r.StandardOutput;
        Assert.Matches(@"Good\s+Succeeded", output);
        Assert.Matches(@"Bad\s+Failed.*bad target broke", output);
        Assert.Matches(@"Cleanup\s+Succeeded", output);
        Assert.Contains("greeted from-json", output);
        Assert.Contains("Build failed", output);
        Assert.DoesNotContain("tok-secret-123", output);
        Assert.Contains("[REDACTED]", output);
    }

    [Fact]
    public async Task Default_target_succeeds_and_unknown_targets_list_the_available_ones()
    {
        var ok = await _repo.RunAsync("--name", "cli");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("hello cli", ok.StandardOutput);
        Assert.Matches(@"OnlyOnCi|Build succeeded", ok.StandardOutput);

        var bad = await _repo.RunAsync("NoSuchTarget");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Available targets are: AfterBad, Bad, Cleanup, Good, OnlyOnCi", string.Join("\n", bad.Tail));
    }

    [Fact]
    public async Task Plan_runs_nothing_and_writes_the_graph()
    {
        var r = await _repo.RunAsync("AfterBad", "--plan");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("1. Good", r.StandardOutput);
        Assert.DoesNotContain("hello", r.StandardOutput);
        Assert.Contains("graph LR", File.ReadAllText(_repo.Dir.Combine(".nuke", "temp", "execution-plan.html")));
        Assert.True(File.Exists(_repo.Dir.Combine(".nuke", "build.schema.json")));
    }
}
