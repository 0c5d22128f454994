using System.Diagnostics;
using System.Text;

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
}

/// <summary>Failure of an external tool: names the command, its exit code and the last lines it printed.</summary>
public sealed class ToolException(string message, ToolResult result) : Exception(message)
{
    public ToolResult Result { get; } = result;
}

/// <summary>Small CliWrap equivalent: argument lists (no shell), streamed output, cancellation that kills the tree.</summary>
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

    public static async Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(invocation.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = invocation.StandardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = invocation.WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        foreach (var a in invocation.Arguments) psi.ArgumentList.Add(a);
        if (invocation.Environment is not null)
            foreach (var (k, v) in invocation.Environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;

        var tail = new Queue<string>();
        var stdout = invocation.CaptureStandardOutput ? new StringBuilder() : null;
        var gate = new object();
        void OnLine(string? raw, bool isStdout)
        {
            if (raw is null) return;
            if (isStdout && stdout is not null) { lock (gate) stdout.AppendLine(raw); return; }
            var line = Secrets.Redact(raw);
            lock (gate)
            {
                tail.Enqueue(line);
                while (tail.Count > invocation.TailLines) tail.Dequeue();
            }
            invocation.OnLine?.Invoke(line);
        }

        var sw = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, true);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, false);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolException($"could not start '{invocation.FileName}': {e.Message}; is it installed and on PATH?",
                new ToolResult(-1, "", [], sw.Elapsed));
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (invocation.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(invocation.StandardInput);
            process.StandardInput.Close();
        }
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        process.WaitForExit(); // drains the async readers
        lock (gate)
            return new ToolResult(process.ExitCode, stdout?.ToString() ?? "", tail.ToArray(), sw.Elapsed);
    }

    /// <summary>Runs and throws <see cref="ToolException"/> with the last lines when the exit code is not 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(ToolInvocation invocation, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(invocation, cancellationToken);
        if (!result.Succeeded)
        {
            var tail = result.Tail.Count == 0 ? "" : System.Environment.NewLine + string.Join(System.Environment.NewLine, result.Tail.Select(l => "  | " + l));
            throw new ToolException($"'{invocation}' exited with code {result.ExitCode}{tail}", result);
        }
        return result;
    }
}
