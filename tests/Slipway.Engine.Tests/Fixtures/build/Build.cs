using Slipway.Engine;

class Build : SlipwayBuild
{
    public static int Main() => Execute<Build>(x => x.Good);

    [Parameter("Says hello to")] readonly string Name = "world";
    [Parameter("A token"), Secret] readonly string? Token;
    [Parameter("Milliseconds the parallel targets wait")] readonly int Pause = 300;

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
        await Task.Delay(Pause, ct);
        Console.WriteLine($"done {Token}");
    });

    Target Right => _ => _.Executes(async ct =>
    {
        Console.Write("right ");
        await Task.Delay(Pause, ct);
        Console.WriteLine("done");
    });

    Target Both => _ => _.DependsOn(Left, Right);

    Target NeedsRegistry => _ => _.Requires(() => Token).Executes(() => Log.Info("ran with a token"));

    // --continue: Prepare leaves a line each time it runs; Flaky fails while the file 'flaky-fails' exists.
    Target Prepare => _ => _.Executes(() => File.AppendAllText(RootDirectory / "prepare-runs.txt", "ran\n"));

    Target Flaky => _ => _.DependsOn(Prepare).Executes(() =>
    {
        if (File.Exists(RootDirectory / "flaky-fails")) throw new InvalidOperationException("flaky failed");
        Log.Info("flaky ok");
    });
}
