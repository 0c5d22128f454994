using System.Runtime.InteropServices;
using Slipway.Engine.Parameters;
using Slipway.Engine.Planning;

namespace Slipway.Engine.Execution;

/// <summary>
/// One run of a build (Nuke's BuildManager): directories and parameters (<see cref="ParameterService"/>), targets
/// (<see cref="ExecutableTargetFactory"/>), then the extensions' stages around the pure planner and the
/// <see cref="TargetExecutor"/>: created (schema, help, workflows), initialized (plan, --continue), requirements,
/// each target's running/succeeded/failed/skipped, finished (summary). Returns the process's exit code.
/// </summary>
internal static class BuildManager
{
    public static int Run(SlipwayBuild build, string[] args, Func<SlipwayBuild, Target>? defaultTarget)
    {
        var parameters = new ParameterService(args);
        SetDirectories(build, parameters.Single("root"));

        // The build's own .nuke/ first, then the --root monorepo's (when it has one): the monorepo's values win.
        parameters.ReadFiles(new[] { Path.Combine(build.BuildRepositoryDirectory, ".nuke"), Path.Combine(build.RootDirectory, ".nuke") }.Distinct().ToList());
        Log.Level = parameters.Verbosity;
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        var (resolved, errors) = parameters.Resolve(build, environment);

        var run = new BuildRun(build, parameters.Positionals, parameters.Options) { Parameters = resolved, ParameterErrors = errors };
        run.Targets = ExecutableTargetFactory.Create(build, defaultTarget, out var defaultName);
        run.DefaultTarget = defaultName;
        var extensions = new BuildExtensions(run, BuildExtensions.Of(build));
        extensions.Raise<IOnBuildCreated>(x => x.OnBuildCreated(run));
        if (run.ExitCode is { } created) return created;
        if (errors.Count > 0) throw errors[0];

        if (!parameters.Has("no-logo")) Log.Raw(Log.Color("⛵ Slipway build", "\u001b[1;34m") + $"  root: {build.RootDirectory}");
        run.SetPlan(TargetExecutor.ApplyStaticConditions(ExecutionPlanner.Plan(run.Targets, parameters.RequestedTargets(), defaultName, parameters.SkippedTargets())));
        extensions.Raise<IOnBuildInitialized>(x => x.OnBuildInitialized(run));
        if (run.ExitCode is { } initialized) return initialized;
        var plan = run.Plan!;
        build.ScheduledTargets = plan.Targets.Where(t => t.SkipReason is null).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        var problems = TargetExecutor.CheckRequirements(plan);
        if (problems.Count > 0)
        {
            foreach (var p in problems) Log.Error(p);
            return 1;
        }

        var parallelism = parameters.Parallelism();
        using var cancellation = new CancellationTokenSource();
        using var signals = CancelOnSignals(cancellation, out var onCancelKey);
        build.CancellationToken = cancellation.Token;
        var executor = new TargetExecutor(plan, parallelism) { Extensions = extensions };
        run.Results = executor.Results;
        bool ok;
        try
        {
            ok = executor.RunAsync(cancellation.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancelKey;
        }
        Log.Flush();
        extensions.Raise<IOnBuildFinished>(x => x.OnBuildFinished(run));
        if (ok) return run.ExitCode ?? 0;
        // 130 (as a shell reports Ctrl-C) when the build was only interrupted, 1 when a target failed.
        return executor.Results.Any(r => r.Status == TargetStatus.Failed) ? 1 : 130;
    }

    /// <summary>The build's repository (its .nuke/, found from the binary, else the working directory) and the monorepo it builds (--root, else the nearest .nuke/).</summary>
    private static void SetDirectories(SlipwayBuild build, string? rootOption)
    {
        build.BuildRepositoryDirectory = new AbsolutePath(FindNukeRoot(AppContext.BaseDirectory) ?? FindNukeRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory());
        var root = rootOption is { } r ? Path.GetFullPath(r) : FindNukeRoot(Directory.GetCurrentDirectory()) ?? build.BuildRepositoryDirectory.Path;
        if (!Directory.Exists(root)) throw new ParameterException($"--root '{root}' does not exist; pass the monorepo's directory");
        build.RootDirectory = new AbsolutePath(root);
    }

    private static string? FindNukeRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, ".nuke"))) return d.FullName;
        return null;
    }

    /// <summary>
    /// First Ctrl-C (or SIGTERM): abort the running target(s) and still run assured targets. Second Ctrl-C: exit
    /// now. The caller removes <paramref name="onCancelKey"/> and disposes the SIGTERM registration it returns.
    /// </summary>
    private static PosixSignalRegistration CancelOnSignals(CancellationTokenSource cancellation, out ConsoleCancelEventHandler onCancelKey)
    {
        var interrupts = 0;
        onCancelKey = (_, e) =>
        {
            if (Interlocked.Increment(ref interrupts) > 1) { e.Cancel = false; return; }
            e.Cancel = true;
            Log.Warn("Cancelling: the running target is aborted; assured targets still run. Press Ctrl-C again to exit at once.");
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancelKey;
        return PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            if (Interlocked.Increment(ref interrupts) > 1) return;
            ctx.Cancel = true;
            Log.Warn("SIGTERM: cancelling; assured targets still run.");
            cancellation.Cancel();
        });
    }
}
