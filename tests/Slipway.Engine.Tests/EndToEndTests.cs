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
            CopyRootFiles(root, Dir.Path);
            foreach (var project in new[] { "Slipway.Engine", "Slipway.Tooling" })
                CopyDirectory(Path.Combine(root, "src", project), Dir.Combine("src", project));
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "build"), Dir.Combine("build"));
            Directory.CreateDirectory(Dir.Combine(".nuke"));
            File.WriteAllText(Dir.Combine(".nuke", "parameters.json"), "{ \"Name\": \"from-json\" }");
        }

        /// <summary>The repository-root files a copied Slipway build needs: its bootstrap, SDK pin, props, and the npm
        /// tools' pin (Slipway.Tooling embeds it, so its sources do not compile without it).</summary>
        internal static void CopyRootFiles(string root, string to)
        {
            foreach (var f in new[] { "build.sh", "global.json", "Directory.Build.props", "Directory.Packages.props", "tools/npm/package.json", "tools/npm/package-lock.json" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, f))!);
                File.Copy(Path.Combine(root, f), Path.Combine(to, f));
            }
        }

        internal static void CopyDirectory(string from, string to)
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
        Assert.Contains("Target 'NoSuchTarget' does not exist. Available targets are: AfterBad, Bad, Both, Cleanup, Flaky, Good, Greet, Left, NeedsRegistry, OnlyOnCi, Prepare, Right, Wave", string.Join("\n", bad.Tail));
    }

    [Fact]
    public async Task Plan_runs_nothing_and_writes_the_graph()
    {
        var r = await _repo.RunAsync("AfterBad", "--plan");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("1. Good", r.StandardOutput);
        Assert.DoesNotContain("hello", r.StandardOutput);
        var html = File.ReadAllText(_repo.Dir.Combine(".nuke", "temp", "execution-plan.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("<g class=\"node planned\" data-target=\"AfterBad\">", html);
        Assert.DoesNotContain("<script", html);
        Assert.True(File.Exists(_repo.Dir.Combine(".nuke", "build.schema.json")));
    }

    [Fact]
    public async Task Summary_table_lists_every_planned_target_with_status_reason_and_notes()
    {
        var r = await _repo.RunAsync("AfterBad", "--name", "table");
        Assert.Equal(1, r.ExitCode);
        var lines = r.StandardOutput.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("Target ") && l.Contains("Status") && l.Contains("Duration") && l.Contains("Notes"));
        Assert.True(header > 0, r.StandardOutput);
        Assert.Matches(@"^Good\s+Succeeded\s+\d+\.\ds\s+greeted table$", lines[header + 2]);
        Assert.Matches(@"^Bad\s+Failed\s+\d+\.\ds\s+bad target broke$", lines[header + 3]);
        Assert.Matches(@"^AfterBad\s+NotRun\s+Bad failed$", lines[header + 4]);
        Assert.Matches(@"^Cleanup\s+Succeeded", lines[header + 5]);
    }

    [Fact]
    public async Task Static_conditions_skip_with_their_source_text_and_skip_switch()
    {
        var r = await _repo.RunAsync("OnlyOnCi", "Good", "--skip", "good");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Skipped (condition false: IsServerBuild && Name == \"ci\")", r.StandardOutput);
        Assert.Matches(@"Good\s+Skipped \(via --skip\)", r.StandardOutput);
    }

    [Fact]
    public async Task Parallel_targets_run_together_with_whole_prefixed_redacted_lines()
    {
        foreach (var marker in new[] { "left.started", "right.started" }) File.Delete(_repo.Dir.Combine(marker));
        // --meet: Left and Right each wait for the other to start, so the run only succeeds when they overlap.
        var r = await _repo.RunAsync("Both", "--parallel", "2", "--meet", "--token", "tok-parallel-456");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[Left] left done [REDACTED]", r.StandardOutput);
        Assert.Contains("[Right] right done", r.StandardOutput);
        Assert.DoesNotContain("tok-parallel-456", r.StandardOutput);
    }

    [Fact]
    public async Task Requirements_fail_before_anything_runs_naming_the_parameter()
    {
        var r = await _repo.RunAsync("Good", "NeedsRegistry");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Target NeedsRegistry requires parameter 'Token': pass --token VALUE", r.StandardOutput);
        Assert.DoesNotContain("hello", r.StandardOutput);
    }

    [Fact]
    public async Task Help_marks_the_default_and_says_where_values_came_from_and_warm_runs_do_not_recompile()
    {
        await _repo.RunAsync("--help");
        var r = await _repo.RunAsync("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"Good \(default\)\s+Succeeds", r.StandardOutput);
        Assert.Contains("= from-json  [from .nuke/parameters.json]", r.StandardOutput);
        Assert.Contains("= 300  [from default]", r.StandardOutput);
        Assert.DoesNotContain(r.Tail, l => l.Contains("Compiling"));
    }

    [Fact]
    public async Task Bad_parameter_values_give_one_error_naming_parameter_value_and_choices()
    {
        var r = await _repo.RunAsync("--pause", "soon");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--pause: 'soon' is not a whole number for Pause", string.Join("\n", r.Tail));
        var unknown = await _repo.RunAsync("--nmae", "x");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Unknown option --nmae. Available parameters are: --greeting, --hook-log, --meet, --name, --pause, --token", string.Join("\n", unknown.Tail));
    }

    [Fact]
    public async Task Continue_skips_what_the_failed_attempt_finished_until_the_invocation_changes()
    {
        var runs = _repo.Dir.Combine("prepare-runs.txt");
        var failing = _repo.Dir.Combine("flaky-fails");
        int Runs() => File.Exists(runs) ? File.ReadAllLines(runs).Length : 0;
        File.WriteAllText(failing, "");
        File.Delete(runs);
        File.Delete(_repo.Dir.Combine(".nuke", "temp", "build-attempt.log"));

        var first = await _repo.RunAsync("Flaky", "--continue", "--token", "tok-continue-1");
        Assert.Equal(1, first.ExitCode);
        Assert.Matches(@"Flaky\s+Failed.*flaky failed", first.StandardOutput);
        Assert.Contains("no earlier attempt recorded", first.StandardOutput);
        Assert.Equal(1, Runs());
        var log = File.ReadAllText(_repo.Dir.Combine(".nuke", "temp", "build-attempt.log"));
        Assert.Contains("Prepare", log);
        Assert.DoesNotContain("tok-continue-1", log);

        // Still broken: Prepare stays done, Flaky fails again.
        var second = await _repo.RunAsync("--continue", "Flaky", "--token", "tok-continue-1");
        Assert.Equal(1, second.ExitCode);
        Assert.Matches(@"Prepare\s+Skipped \(succeeded in an earlier attempt \(--continue\)\)", second.StandardOutput);
        Assert.Equal(1, Runs());

        File.Delete(failing);
        var third = await _repo.RunAsync("Flaky", "--continue", "--token", "tok-continue-1");
        Assert.Equal(0, third.ExitCode);
        Assert.Matches(@"Prepare\s+Skipped \(succeeded in an earlier attempt", third.StandardOutput);
        Assert.Matches(@"Flaky\s+Succeeded", third.StandardOutput);
        Assert.Equal(1, Runs());

        // Another invocation (a parameter changed) runs everything again, and so does a run without --continue.
        var changed = await _repo.RunAsync("Flaky", "--continue", "--name", "other");
        Assert.Equal(0, changed.ExitCode);
        Assert.Contains("the invocation changed since the last attempt", changed.StandardOutput);
        Assert.Equal(2, Runs());
        var plain = await _repo.RunAsync("Flaky", "--name", "other");
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(3, Runs());
    }

    [Fact]
    public async Task Extension_hooks_see_every_stage_in_order_from_an_attribute_and_the_build_class()
    {
        var hooks = _repo.Dir.Combine("hooks.txt");
        File.Delete(hooks);
        var r = await _repo.RunAsync("AfterBad", "OnlyOnCi", "--hook-log", hooks);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(
        [
            "created: 13 targets, default Good",
            "initialized: Good, Bad, AfterBad, Cleanup, OnlyOnCi",
            "skipped OnlyOnCi: condition false: IsServerBuild && Name == \"ci\"",
            "running Good", "succeeded Good",
            "running Bad", "failed Bad: bad target broke",
            "running Cleanup", "succeeded Cleanup",
            "finished: Good=Succeeded, Bad=Failed, AfterBad=NotRun, Cleanup=Succeeded, OnlyOnCi=Skipped",
            "build class: finished",
        ], File.ReadAllLines(hooks));
        // The built-in extensions did their part too: the summary came from WriteSummary.
        Assert.Matches(@"AfterBad\s+NotRun\s+Bad failed", r.StandardOutput);

        // --help is an extension (priority 90) that ends the run when targets are created: later extensions of the
        // stage (this one, priority 0) and every later stage never see it.
        File.Delete(hooks);
        var help = await _repo.RunAsync("--help", "--hook-log", hooks);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Targets (with their direct dependencies)", help.StandardOutput);
        Assert.False(File.Exists(hooks));
    }

    [Fact]
    public async Task Component_targets_and_parameters_come_from_the_interface_and_Inherit_keeps_its_definition()
    {
        var r = await _repo.RunAsync("Wave", "--greeting", "hey");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("hey from a component in True", r.StandardOutput);
        Assert.Contains("waved", r.StandardOutput);
        // Wave's own DependsOn<IGreet>(x => x.Greet) (inherited) and the build's DependsOn(Good), in order.
        Assert.Matches(@"Good\s+Succeeded[^\n]*\n\s*Greet\s+Succeeded\s+\d+\.\ds\s+said hey\n\s*Wave\s+Succeeded", r.StandardOutput.Replace("\r", ""));

        var help = await _repo.RunAsync("--help", "--greeting", "yo");
        Assert.Matches(@"--greeting\s+What the component says\s*\n\s*= yo  \[from command line\]", help.StandardOutput.Replace("\r", ""));
        Assert.Matches(@"\n  Greet\s+A component's target", help.StandardOutput);
        var schema = File.ReadAllText(_repo.Dir.Combine(".nuke", "build.schema.json"));
        Assert.Contains("\"Greeting\"", schema);
    }

    [Fact]
    public async Task Sigterm_aborts_the_running_target_and_exits_130()
    {
        await _repo.RunAsync("--help"); // compiled before the clock starts
        var psi = new System.Diagnostics.ProcessStartInfo(_repo.Dir.Combine("build.sh"), ["Left", "--pause", "20000"])
        {
            WorkingDirectory = _repo.Dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["NO_COLOR"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var lines = new List<string>();
        var started = new TaskCompletionSource();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("═══ Left")) started.TrySetResult();
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("kill", ["-TERM", p.Id.ToString()]));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)); // far less than the 20 s pause
        await p.WaitForExitAsync(cts.Token);
        p.WaitForExit();
        var output = string.Join("\n", lines);
        Assert.Equal(130, p.ExitCode);
        Assert.Matches(@"Left\s+Aborted\s+\d+\.\ds\s+cancelled", output);
        Assert.Contains("Build aborted", output);
    }
}
