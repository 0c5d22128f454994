using System.Runtime.CompilerServices;

namespace Slipway.Testing;

/// <summary>
/// The one way a test polls for something to happen: always with a deadline, so a regression fails the test that
/// waited, naming what it waited for, instead of hanging the run until CI kills it with no test named.
/// </summary>
public static class Wait
{
    /// <summary>Long enough for a build on a loaded 2-core machine; a wait that needs more says so.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Polls <paramref name="condition"/> every <paramref name="every"/> (default 100 ms) until it holds or the deadline passes.</summary>
    /// <param name="what">What is awaited, as the failure message names it ("20 SUCCEEDED messages on the tap").</param>
    /// <param name="state">Optional: what the failure message adds about the state at the deadline (counts, a log).</param>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null,
        TimeSpan? every = null, CancellationToken cancellationToken = default, [CallerMemberName] string caller = "")
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{caller}: waited {limit.TotalSeconds:0} s for {what}{(state is null ? "" : $"; at the deadline: {state()}")}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
