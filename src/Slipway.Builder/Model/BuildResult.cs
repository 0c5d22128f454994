using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>The outcome of one build as an executor reports it.</summary>
public abstract record BuildResult(string BuildId)
{
    /// <summary>
    /// Pushed by digest (no tag yet when tenant naming is used: the worker allocates the version number in
    /// PostgreSQL and then tags it, so a failed build never uses a number).
    /// </summary>
    public sealed record Succeeded(string BuildId, string Repository, string Digest, string? Commit, IReadOnlyList<string> Tags)
        : BuildResult(BuildId);

    /// <summary>The failing step, its class, a one-line message and the step's last 50 log lines (redacted).</summary>
    public sealed record Failed(string BuildId, string Step, FailureClass Class, string Message, IReadOnlyList<string> LogTail)
        : BuildResult(BuildId);
}
