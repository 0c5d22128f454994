using System.Security.Cryptography;
using System.Text;

namespace Slipway.Engine.Execution;

/// <summary>
/// <c>.nuke/temp/build-attempt.log</c>, for <c>--continue</c> (as in Nuke): the first line identifies the
/// invocation, every later line names a target that succeeded. A rerun of the same invocation with --continue
/// skips those targets; any other invocation starts the file afresh.
/// </summary>
public sealed class BuildAttempt
{
    public const string SkipReason = "succeeded in an earlier attempt (--continue)";

    private readonly string _path;
    private readonly object _gate = new();

    private BuildAttempt(string path, IReadOnlySet<string> previouslySucceeded, string? note)
    {
        _path = path;
        PreviouslySucceeded = previouslySucceeded;
        Note = note;
    }

    /// <summary>Targets the earlier attempt of this invocation finished; empty unless --continue and the invocation matches.</summary>
    public IReadOnlySet<string> PreviouslySucceeded { get; }

    /// <summary>Why --continue found nothing to skip (no earlier attempt, another invocation); null otherwise.</summary>
    public string? Note { get; }

    /// <summary>
    /// Reads the earlier attempt when <paramref name="continueRequested"/>, then starts the file for this run:
    /// the invocation line plus what the earlier attempt had (so a second --continue still skips them).
    /// </summary>
    public static BuildAttempt Start(string path, string invocation, bool continueRequested)
    {
        var id = Hash(invocation);
        var previous = new HashSet<string>(StringComparer.Ordinal);
        string? note = null;
        if (continueRequested)
        {
            var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            if (lines.Length == 0) note = "--continue: no earlier attempt recorded; running every target";
            else if (lines[0] != id) note = "--continue: the invocation changed since the last attempt; running every target";
            else previous.UnionWith(lines.Skip(1).Where(l => l.Length > 0));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, [id, .. previous.Order(StringComparer.Ordinal)]);
        return new BuildAttempt(path, previous, note);
    }

    /// <summary>Records a target that succeeded; safe from targets running in parallel.</summary>
    public void Succeeded(string target)
    {
        lock (_gate) File.AppendAllLines(_path, [target]);
    }

    /// <summary>
    /// What makes two invocations the same: the targets and options as given, minus switches that only change how
    /// the run looks (--continue, --verbosity, --no-logo, --parallel). Secret values are left out, so the file never
    /// holds anything derived from them (and a rotated token is still the same invocation).
    /// </summary>
    public static string Invocation(IEnumerable<string> positionals, IReadOnlyDictionary<string, List<string>> options, Func<string, bool> isSecret)
    {
        var sb = new StringBuilder();
        foreach (var p in positionals) sb.Append(p).Append('\0');
        foreach (var (name, values) in options.Where(o => o.Key is not ("continue" or "verbosity" or "no-logo" or "parallel")).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            sb.Append("--").Append(name).Append('\0');
            foreach (var v in values) sb.Append(isSecret(name) ? "[secret]" : v).Append('\0');
        }
        return sb.ToString();
    }

    private static string Hash(string invocation) => "invocation " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(invocation)));
}

/// <summary>--continue, as a build extension: starts the attempt file once the plan exists and records each success.</summary>
public sealed class RecordBuildAttemptsAttribute : BuildExtensionAttribute, IOnBuildInitialized, IOnTargetSucceeded
{
    private BuildAttempt? _attempt;

    public void OnBuildInitialized(BuildRun run)
    {
        var secret = run.Parameters.Where(p => p.Info.IsSecret).Select(p => Parameters.ParameterResolver.ToKebab(p.Info.Name)).ToHashSet();
        _attempt = BuildAttempt.Start(run.TemporaryDirectory / "build-attempt.log",
            BuildAttempt.Invocation(run.Positionals, run.Options, secret.Contains), run.HasSwitch("continue"));
        if (_attempt.Note is not null) Log.Warn(_attempt.Note);
        run.Skip(_attempt.PreviouslySucceeded, BuildAttempt.SkipReason);
    }

    public void OnTargetSucceeded(BuildRun run, TargetResult target) => _attempt?.Succeeded(target.Name);
}
