using System.Security.Cryptography;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Tooling;

/// <summary>ToolRunner on top of CliWrap: the behaviour every caller relies on, against real processes (sh, coreutils).</summary>
public sealed class ToolRunnerTests
{
    [Fact]
    public async Task Lines_are_redacted_live_and_kept_as_tail_and_stdout_can_be_captured()
    {
        Secrets.Register("hunter2-toolrunner");
        var live = new List<string>();
        var result = await ToolRunner.RunAsync(new ToolInvocation("sh", ["-c", "echo one; echo 'token hunter2-toolrunner' >&2; echo three"])
        {
            OnLine = l => { lock (live) live.Add(l); },
            TailLines = 2,
        });
        Assert.True(result.Succeeded);
        Assert.Contains("token [REDACTED]", live);
        Assert.DoesNotContain(live, l => l.Contains("hunter2"));
        Assert.Equal(2, result.Tail.Count);

        var captured = await ToolRunner.RunAsync(new ToolInvocation("sh", ["-c", "printf '{\"a\":1}\\n'; echo note >&2"]) { CaptureStandardOutput = true });
        Assert.Equal("{\"a\":1}", captured.StandardOutput.Trim());
        Assert.Equal(["note"], captured.Tail);
    }

    [Fact]
    public async Task A_failure_is_one_line_naming_the_command_and_code_with_its_last_lines()
    {
        var e = await Assert.ThrowsAsync<ToolException>(() => ToolRunner.RunCheckedAsync(new ToolInvocation("sh", ["-c", "echo why it broke >&2; exit 3"])));
        var lines = e.Message.Split('\n');
        Assert.Equal("'sh -c 'echo why it broke >&2; exit 3'' exited with code 3", lines[0].TrimEnd());
        Assert.Equal("  | why it broke", lines[1].TrimEnd());
        Assert.Equal(3, e.Result.ExitCode);

        // Deliberately a tool no package provides (so the host-tools check, which reads literals, does not count it).
        const string noSuchTool = "slipway-no-such-tool";
        var missing = await Assert.ThrowsAsync<ToolException>(() => ToolRunner.RunAsync(new ToolInvocation(noSuchTool, [])));
        Assert.StartsWith("could not start 'slipway-no-such-tool':", missing.Message);
        Assert.EndsWith("is it installed and on PATH?", missing.Message);
    }

    [Fact]
    public async Task Environment_sets_and_removes_variables_and_stdin_is_fed()
    {
        Environment.SetEnvironmentVariable("SLIPWAY_TOOLRUNNER_DROP", "inherited");
        var result = await ToolRunner.RunAsync(new ToolInvocation("sh", ["-c", "read line; echo \"$line/${SLIPWAY_TOOLRUNNER_SET}/${SLIPWAY_TOOLRUNNER_DROP:-gone}\""])
        {
            Environment = new Dictionary<string, string?> { ["SLIPWAY_TOOLRUNNER_SET"] = "set", ["SLIPWAY_TOOLRUNNER_DROP"] = null },
            StandardInput = "fed\n",
            CaptureStandardOutput = true,
        });
        Assert.Equal("fed/set/gone", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree()
    {
        using var dir = new Slipway.Testing.TempDir();
        var pidFile = Path.Combine(dir.Path, "child.pid");
        using var cts = new CancellationTokenSource();
        var run = ToolRunner.RunAsync(new ToolInvocation("sh", ["-c", $"sleep 600 & echo $! > {pidFile}; echo started; wait"])
        {
            OnLine = l => { if (l == "started") cts.Cancel(); },
        }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var child = File.ReadAllText(pidFile).Trim();
        // The kill is sent before the run returns; a zombie may need a moment to be reaped by init.
        for (var i = 0; i < 100 && IsRunning(child); i++) await Task.Delay(50);
        Assert.False(IsRunning(child), $"child sleep {child} survived the cancellation");
    }

    private static bool IsRunning(string pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] is not ("Z" or "X");

    [Fact]
    public async Task Binary_stdout_streams_to_the_reader_and_stderr_still_reaches_the_log()
    {
        var lines = new List<string>();
        byte[]? hash = null;
        long total = 0;
        await ToolRunner.RunWithStdoutAsync(new ToolInvocation("sh", ["-c", "echo working >&2; head -c 3000000 /dev/zero"]) { OnLine = lines.Add },
            async (stdout, ct) =>
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await stdout.ReadAsync(buffer, ct)) > 0) { sha.AppendData(buffer, 0, n); total += n; }
                hash = sha.GetHashAndReset();
            });
        Assert.Equal(3_000_000, total);
        Assert.Equal(SHA256.HashData(new byte[3_000_000]), hash);
        Assert.Equal(["working"], lines);

        await Assert.ThrowsAsync<ToolException>(() => ToolRunner.RunWithStdoutAsync(new ToolInvocation("sh", ["-c", "echo partial; exit 4"]),
            (s, ct) => s.CopyToAsync(Stream.Null, ct)));
    }

    [Fact]
    public async Task A_pulled_stdout_stops_the_tool_when_closed_early_and_reports_a_failed_exit()
    {
        await using (var endless = await ToolRunner.StartWithStdoutAsync(new ToolInvocation("yes", ["layer"])))
        {
            var buffer = new byte[6];
            await endless.StandardOutput.ReadExactlyAsync(buffer);
            Assert.Equal("layer\n", System.Text.Encoding.ASCII.GetString(buffer));
        } // disposing stops `yes`, which would otherwise never end

        await using var done = await ToolRunner.StartWithStdoutAsync(new ToolInvocation("sh", ["-c", "echo out; exit 5"]));
        var e = await Assert.ThrowsAsync<ToolException>(() => done.WaitAsync(CancellationToken.None));
        Assert.Equal(5, e.Result.ExitCode);
    }
}
