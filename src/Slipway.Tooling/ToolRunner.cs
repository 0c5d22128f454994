using System.Diagnostics;
using System.Text;
using CliWrap;

namespace Slipway.Tooling;

/// <summary>How to run one external tool.</summary>
public sealed record ToolInvocation(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>Called for every stdout/stderr line (already redacted), e.g. to stream a build log live.</summary>
    public Action<string>? OnLine { get; init; }
    /// <summary>How many trailing lines to keep for error messages.</summary>
    public int TailLines { get; init; } = 50;
    /// <summary>When true, stdout is kept whole in <see cref="ToolResult.StandardOutput"/> (for small JSON answers).</summary>
    public bool CaptureStandardOutput { get; init; }
    public string? StandardInput { get; init; }

    public override string ToString() => Secrets.Redact(FileName + " " + string.Join(' ', Arguments.Select(Quote)));

    internal static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}

public sealed record ToolResult(int ExitCode, string StandardOutput, IReadOnlyList<string> Tail, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The one-line error (plus the tail it printed) that names the command and its exit code.</summary>
    public string Describe(ToolInvocation invocation)
    {
        var tail = Tail.Count == 0 ? "" : System.Environment.NewLine + string.Join(System.Environment.NewLine, Tail.Select(l => "  | " + l));
        return $"'{invocation}' exited with code {ExitCode}{tail}";
    }
}

/// <summary>Failure of an external tool: names the command, its exit code and the last lines it printed.</summary>
public sealed class ToolException(string message, ToolResult result) : Exception(message)
{
    public ToolResult Result { get; } = result;
}

/// <summary>
/// Runs external tools through CliWrap (argument lists, no shell; cancellation kills the whole process tree) and
/// adds what every caller here needs on top: secret redaction of every line, live lines, a bounded tail for the
/// one-line error, and stdout either captured as text, or handed over as a binary stream (docker save, Nix
/// stream scripts) without touching the disk.
/// </summary>
public static class ToolRunner
{
    /// <summary>Full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Which(string tool)
    {
        if (tool.Contains('/')) return File.Exists(tool) ? Path.GetFullPath(tool) : null;
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken = default) =>
        ExecuteAsync(invocation, readStdout: null, cancellationToken);

    /// <summary>Runs and throws <see cref="ToolException"/> with the last lines when the exit code is not 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(ToolInvocation invocation, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(invocation, cancellationToken);
        if (!result.Succeeded) throw new ToolException(result.Describe(invocation), result);
        return result;
    }

    /// <summary>
    /// Runs with stdout handed to <paramref name="readStdout"/> as a binary stream (stderr lines still go to the
    /// log and the tail). Whatever the reader leaves unread is drained so the tool can finish. Throws
    /// <see cref="ToolException"/> when the tool exits non-zero.
    /// </summary>
    public static async Task<ToolResult> RunWithStdoutAsync(ToolInvocation invocation, Func<Stream, CancellationToken, Task> readStdout, CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync(invocation, readStdout, cancellationToken);
        if (!result.Succeeded) throw new ToolException(result.Describe(invocation), result);
        return result;
    }

    /// <summary>
    /// Starts the tool and returns its stdout to be pulled from at the caller's pace (e.g. a layer read lazily
    /// during an upload). Disposing the handle before the end stops the tool and its children.
    /// </summary>
    public static async Task<RunningTool> StartWithStdoutAsync(ToolInvocation invocation, CancellationToken cancellationToken = default)
    {
        var handed = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = ExecuteAsync(invocation, async (stdout, ct) =>
        {
            handed.TrySetResult(stdout);
            await released.Task.WaitAsync(ct);
        }, kill.Token);
        // A tool that fails to start (or exits before stdout is opened) never hands a stream over.
        var first = await Task.WhenAny(handed.Task, run);
        if (first == run)
        {
            kill.Dispose();
            var early = await run; // throws ToolException for "could not start"
            throw new ToolException(early.Describe(invocation), early);
        }
        return new RunningTool(invocation, await handed.Task, released, kill, run);
    }

    private static async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, Func<Stream, CancellationToken, Task>? readStdout, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        var stdout = invocation.CaptureStandardOutput && readStdout is null ? new StringBuilder() : null;
        var gate = new object();
        void OnLine(string raw)
        {
            var line = Secrets.Redact(raw);
            lock (gate)
            {
                tail.Enqueue(line);
                while (tail.Count > invocation.TailLines) tail.Dequeue();
            }
            invocation.OnLine?.Invoke(line);
        }

        PipeTarget stdoutTarget = readStdout is not null
            ? PipeTarget.Create(async (stream, ct) =>
            {
                await readStdout(stream, ct);
                await stream.CopyToAsync(Stream.Null, ct);
            })
            : stdout is not null
                ? PipeTarget.ToDelegate(line => { lock (gate) stdout.AppendLine(line); })
                : PipeTarget.ToDelegate(OnLine);

        var command = Cli.Wrap(invocation.FileName)
            .WithArguments(invocation.Arguments)
            .WithWorkingDirectory(invocation.WorkingDirectory ?? System.Environment.CurrentDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(stdoutTarget)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine));
        if (invocation.Environment is not null)
            command = command.WithEnvironmentVariables(env =>
            {
                // CliWrap removes a variable whose value is null.
                foreach (var (k, v) in invocation.Environment) env.Set(k, v);
            });
        if (invocation.StandardInput is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(invocation.StandardInput));

        var sw = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            // Forceful cancellation: CliWrap kills the process and its children.
            result = await command.ExecuteAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && FindStartFailure(e) is { } start)
        {
            throw new ToolException($"could not start '{invocation.FileName}': {start.Message}; is it installed and on PATH?",
                new ToolResult(-1, "", [], sw.Elapsed));
        }
        lock (gate)
            return new ToolResult(result.ExitCode, stdout?.ToString() ?? "", tail.ToArray(), sw.Elapsed);
    }

    private static System.ComponentModel.Win32Exception? FindStartFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.ComponentModel.Win32Exception w) return w;
        return null;
    }
}

/// <summary>A started tool whose stdout the caller pulls from; see <see cref="ToolRunner.StartWithStdoutAsync"/>.</summary>
public sealed class RunningTool : IAsyncDisposable
{
    private readonly ToolInvocation _invocation;
    private readonly TaskCompletionSource _released;
    private readonly CancellationTokenSource _kill;
    private readonly Task<ToolResult> _run;

    internal RunningTool(ToolInvocation invocation, Stream stdout, TaskCompletionSource released, CancellationTokenSource kill, Task<ToolResult> run)
    {
        _invocation = invocation;
        StandardOutput = stdout;
        _released = released;
        _kill = kill;
        _run = run;
    }

    public Stream StandardOutput { get; }

    /// <summary>Drains what is left, waits for the exit and throws <see cref="ToolException"/> when it failed.</summary>
    public async Task<ToolResult> WaitAsync(CancellationToken cancellationToken)
    {
        await StandardOutput.CopyToAsync(Stream.Null, cancellationToken);
        _released.TrySetResult();
        var result = await _run.WaitAsync(cancellationToken);
        if (!result.Succeeded) throw new ToolException(result.Describe(_invocation), result);
        return result;
    }

    /// <summary>Stops the tool (and its children) unless it already finished.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted) _kill.Cancel();
        _released.TrySetResult();
        try { await _run; }
        catch (OperationCanceledException) { }
        catch (ToolException) { }
        _kill.Dispose();
    }
}
