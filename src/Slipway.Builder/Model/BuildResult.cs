using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// The one result of a build, from the executor through the coordinator to the callback, the queue's notifications
/// and the Job's outcome file (<see cref="BuildOutcome"/>). An executor returns what it built (or where it failed);
/// the coordinator adds what only it knows (attempt, version, whether a failure is final) with <c>with</c>.
/// </summary>
public abstract record BuildResult(string BuildId)
{
    /// <summary>The attempt this result belongs to (set by the coordinator; 1 for an executor's own).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// Pushed by digest (no tag yet when tenant naming is used: the coordinator allocates the version number in
    /// PostgreSQL and then tags it, so a failed build never uses a number).
    /// </summary>
    public sealed record Succeeded(string BuildId, PublishedImage Image, string? Commit) : BuildResult(BuildId)
    {
        /// <summary>The tenant version the image was tagged with (tenant builds, after the coordinator tagged it).</summary>
        public int? Version { get; init; }
        public string? Tenant { get; init; }
        public string? Service { get; init; }
        /// <summary>Re-sent from the store: this id had already succeeded and was not built again.</summary>
        public bool AlreadyBuilt { get; init; }
    }

    /// <summary>The failing step, its class, a one-line message and the step's last 50 log lines (redacted).</summary>
    public sealed record Failed(string BuildId, string Step, FailureClass Class, string Message, IReadOnlyList<string> LogTail) : BuildResult(BuildId)
    {
        /// <summary>No retry follows (permanent, rejected, or the last attempt).</summary>
        public bool Final { get; init; }
        /// <summary>The request itself is unusable (it cannot be stored, or its id belongs to another tenant): the
        /// queue dead-letters it with <see cref="Message"/> as the reason instead of retrying.</summary>
        public bool Rejected { get; init; }
    }
}

/// <summary>
/// An image as pushed: its repository (<c>HOST[:PORT]/PATH</c>, or <c>oci:DIR</c> for a layout), the tag it went
/// to (none for a push by digest) and its digest. <see cref="Reference"/> is what callbacks and the CLI show.
/// </summary>
public sealed record PublishedImage(string Repository, string? Tag, string Digest)
{
    /// <summary><c>REPOSITORY:TAG</c>, or <c>REPOSITORY@DIGEST</c> when pushed by digest only.</summary>
    public string Reference => Tag is not null ? $"{Repository}:{Tag}" : $"{Repository}@{Digest}";

    /// <summary>From a <see cref="Reference"/> the store kept (a build that succeeded before).</summary>
    public static PublishedImage FromReference(string reference, string digest)
    {
        var (name, tag, _) = Slipway.Oci.Model.ImageReference.Split(reference);
        return new PublishedImage(name, tag, digest);
    }
}
