using Slipway.Engine;
using Slipway.Engine.Execution;

[TraceHooks]
class Build : SlipwayBuild, IOnBuildFinished, IGreet
{
    // A component target re-implemented: the component's own definition (Inherit), plus a dependency of this build.
    Target IGreet.Wave => _ => _.Inherit<IGreet>(x => x.Wave).DependsOn(Good);

    public static int Main() => Execute<Build>(x => x.Good);

    [Parameter("Says hello to")] readonly string Name = "world";
    [Parameter("A token"), Secret] readonly string? Token;
    [Parameter("Milliseconds the parallel targets wait")] readonly int Pause = 300;
    [Parameter("File the build extension hooks append to")] internal readonly string? HookLog;

    // A hook implemented by the build class itself: runs after the attribute extensions of the same stage.
    public void OnBuildFinished(BuildRun run) => TraceHooksAttribute.Write(run, "build class: finished");

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
    // With --meet each waits until the other has started, so both finish only when they really run at once.
    [Parameter("Left and Right wait for each other")] readonly bool Meet;

    async Task MeetAsync(string me, string other, CancellationToken ct)
    {
        if (!Meet) return;
        File.WriteAllText(RootDirectory / $"{me}.started", "");
        for (var i = 0; !File.Exists(RootDirectory / $"{other}.started"); i++)
        {
            if (i > 1200) throw new TimeoutException($"{other} never started while {me} ran");
            await Task.Delay(50, ct);
        }
    }

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

    Target NeedsRegistry => _ => _.Requires(() => Token).Executes(() => Log.Info("ran with a token"));

    // --continue: Prepare leaves a line each time it runs; Flaky fails while the file 'flaky-fails' exists.
    Target Prepare => _ => _.Executes(() => File.AppendAllText(RootDirectory / "prepare-runs.txt", "ran\n"));

    Target Flaky => _ => _.DependsOn(Prepare).Executes(() =>
    {
        if (File.Exists(RootDirectory / "flaky-fails")) throw new InvalidOperationException("flaky failed");
        Log.Info("flaky ok");
    });
}

/// <summary>An extension attribute: appends every stage it sees to --hook-log.</summary>
sealed class TraceHooksAttribute : BuildExtensionAttribute, IOnBuildCreated, IOnBuildInitialized, IOnTargetRunning,
    IOnTargetSucceeded, IOnTargetFailed, IOnTargetSkipped, IOnBuildFinished
{
    internal static void Write(BuildRun run, string line)
    {
        if (((Build)run.Build).HookLog is { } file) File.AppendAllText(file, line + "\n");
    }

    public void OnBuildCreated(BuildRun run) => Write(run, $"created: {run.Targets.Count} targets, default {run.DefaultTarget}");
    public void OnBuildInitialized(BuildRun run) => Write(run, $"initialized: {string.Join(", ", run.Plan!.Targets.Select(t => t.Name))}");
    public void OnTargetRunning(BuildRun run, TargetResult target) => Write(run, $"running {target.Name}");
    public void OnTargetSucceeded(BuildRun run, TargetResult target) => Write(run, $"succeeded {target.Name}");
    public void OnTargetFailed(BuildRun run, TargetResult target) => Write(run, $"failed {target.Name}: {target.Error?.Message}");
    public void OnTargetSkipped(BuildRun run, TargetResult target) => Write(run, $"skipped {target.Name}: {target.Reason}");
    public void OnBuildFinished(BuildRun run) => Write(run, $"finished: {string.Join(", ", run.Results.Select(r => $"{r.Name}={r.Status}"))}");
}

/// <summary>A component: a parameter and two targets with default implementations, brought in by the base list.</summary>
interface IGreet : ISlipwayBuild
{
    [Parameter("What the component says")] string Greeting => TryGetValue(() => Greeting, "ahoy");

    Target Greet => _ => _.Description("A component's target").Executes(() =>
    {
        Log.Info($"{Greeting} from a component in {RootDirectory.Path.Length > 0}");
        ReportSummary($"said {Greeting}");
    });

    Target Wave => _ => _.DependsOn<IGreet>(x => x.Greet).OnlyWhenStatic(() => IsLocalBuild).Executes(() => Log.Info("waved"));
}
