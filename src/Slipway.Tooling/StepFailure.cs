namespace Slipway.Tooling;

/// <summary>Whether retrying the same work later can succeed.</summary>
public enum FailureClass
{
    /// <summary>Network, registry 5xx, a tool's exit 75 (EX_TEMPFAIL): retry later.</summary>
    Transient,
    /// <summary>Bad input, no provider matches, a compile error: retrying gives the same answer.</summary>
    Permanent,
}

/// <summary>
/// A failed step of a build (clone, detect, install, build, push, ...) with its class decided where it happened,
/// so callers decide retries from <see cref="Class"/> and never by parsing messages. The message is one line;
/// <see cref="LogTail"/> holds the step's last lines (already redacted).
/// </summary>
public sealed class StepFailure(string step, FailureClass failureClass, string message, IReadOnlyList<string>? logTail = null, Exception? inner = null)
    : Exception(Secrets.Redact(message), inner)
{
    public string Step { get; } = step;
    public FailureClass Class { get; } = failureClass;
    public IReadOnlyList<string> LogTail { get; } = logTail?.Select(Secrets.Redact).ToList() ?? [];
}
