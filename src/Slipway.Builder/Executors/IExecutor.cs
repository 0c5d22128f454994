using Slipway.Builder.Model;

namespace Slipway.Builder.Executors;

/// <summary>
/// Runs one build somewhere: <c>local</c> (in-process, the default) or <c>kubernetes</c> (a Job running the builder
/// image with <c>slipway builder run</c>). The worker decides retries from the result's failure class only.
/// </summary>
public interface IExecutor
{
    string Name { get; }

    /// <summary>Runs the build to the end; <paramref name="log"/> receives its log lines live (redacted).</summary>
    Task<BuildResult> RunAsync(BuildSpec spec, Action<string> log, CancellationToken cancellationToken);
}
