using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Tooling;

namespace Slipway.Builder.Executors;

/// <summary>
/// One executor run bounded by a deadline, as the coordinator and a Job's <c>builder run</c> both need it: at the
/// deadline the executor is cancelled (which kills the running step's process tree and, under Kubernetes, deletes
/// the Job) and the build fails as step <c>timeout</c>; an executor that throws ends as a failure of step
/// <c>worker</c>. The caller's own cancellation (SIGTERM, shutdown) is rethrown, never turned into a result.
/// </summary>
public static class ExecutorRun
{
    public static async Task<BuildResult> RunAsync(IExecutor executor, BuildSpec spec, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        BuildResult result;
        try
        {
            result = await executor.RunAsync(spec, log, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = new BuildResult.Failed(spec.BuildId, "timeout", FailureClass.Permanent, "cancelled", []);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = Unexpected(spec, e);
        }
        if (result is BuildResult.Failed && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            result = new BuildResult.Failed(spec.BuildId, "timeout", FailureClass.Permanent,
                $"timeout: the build ran past its deadline of {Durations.Format(timeout)} (--build-timeout / BUILD_TIMEOUT); its processes were killed", []);
        return result with { Attempt = spec.Attempt };
    }

    /// <summary>
    /// Something threw instead of returning a result: infrastructure that may come back (PostgreSQL or the network
    /// away) is worth another attempt; a bug is not.
    /// </summary>
    public static BuildResult.Failed Unexpected(BuildSpec spec, Exception e)
    {
        var transient = e is Npgsql.NpgsqlException { IsTransient: true } or IOException or HttpRequestException or TimeoutException
            || e is Npgsql.NpgsqlException and not Npgsql.PostgresException;
        return new BuildResult.Failed(spec.BuildId, "worker", transient ? FailureClass.Transient : FailureClass.Permanent,
            $"{(transient ? "infrastructure problem" : "unexpected failure")}: {e.GetType().Name}: {e.Message}", []);
    }
}
