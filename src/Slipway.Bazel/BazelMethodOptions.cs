namespace Slipway.Bazel;

/// <summary>How the Bazel method builds and publishes, fixed when it is constructed.</summary>
public sealed record BazelMethodOptions
{
    /// <summary>The bazel (or bazelisk) executable; null finds bazel, then bazelisk, on PATH.</summary>
    public string? Bazel { get; init; }
    /// <summary>Publish with <c>bazel run //pkg:push</c> instead of Slipway's publisher (<c>--bazel-push</c>).</summary>
    public bool DelegatePush { get; init; }
}
