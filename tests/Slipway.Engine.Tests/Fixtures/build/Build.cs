using Slipway.Engine;

class Build : SlipwayBuild
{
    public static int Main() => Execute<Build>(x => x.Good);

    [Parameter("Says hello to")] readonly string Name = "world";
    [Parameter("A token"), Secret] readonly string? Token;
    [Parameter("Milliseconds the parallel targets wait")] readonly int Pause = 300;
    [Parameter("A directory where Left and Right meet: each waits until the other has started, which only overlapping targets can do")] readonly string? Meet;

    Target Good => _ => _.Description("Succeeds").Executes(() =>
    {
        Log.Info($"hello {Name}, token {Token}");
        ReportSummary("greeted " + Name);
    });

    Target Bad => _ => _.DependsOn(Good).Executes(() => throw new InvalidOperationException("bad target broke"));

    Target AfterBad => _ => _.DependsOn(Bad).Executes(() => Log.Info("never"));

    Target Cleanup => _ => _.TriggeredBy(Bad).AssuredAfterFailure().Executes(() => Log.Info("cleanup ran"));

    Target OnlyOnCi => _ => _.OnlyWhenStatic(() => IsServerBuild && Name == "ci").Executes(() => { });

    // Two independent targets for --parallel: plain Console output must come out whole, prefixed and redacted.
    Target Left => _ => _.Executes(async ct =>
    {
        Console.Write("left ");
        await MeetAsync("left", "right", ct);
        await Task.Delay(Pause, ct);
        Console.WriteLine($"done {Token}");
    });

    Target Right => _ => _.Executes(async ct =>
    {
        Console.Write("right ");
        await MeetAsync("right", "left", ct);
        await Task.Delay(Pause, ct);
        Console.WriteLine("done");
    });

    Target Both => _ => _.DependsOn(Left, Right);

    // Run one after the other, the first never sees the second's mark and gives up: a failure, not a slow pass.
    async Task MeetAsync(string me, string other, CancellationToken ct)
    {
        if (Meet is null) return;
        File.WriteAllText(Path.Combine(Meet, me), "");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        while (!File.Exists(Path.Combine(Meet, other)))
            try { await Task.Delay(20, limit.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { throw new InvalidOperationException($"{other} never started while {me} ran: the targets did not run in parallel"); }
    }

    Target NeedsRegistry => _ => _.Requires(() => Token).Executes(() => Log.Info("ran with a token"));
}
