using System.Diagnostics;
using Slipway.Engine.Planning;
using Slipway.Tooling;

namespace Slipway.Engine.Execution;

/// <summary>
/// Runs a plan: dynamic conditions just before each target, failures stop what follows unless a target says
/// ProceedAfterFailure, assured targets run even after a failure or Ctrl-C, and with parallelism &gt; 1 every
/// target whose predecessors are finished may run at once.
/// </summary>
public sealed class TargetExecutor(ExecutionPlan plan, int parallelism = 1)
{
    private readonly ExecutionPlan plan = ApplyStaticConditions(plan);

    private static readonly AsyncLocal<TargetResult?> Current = new();

    /// <summary>The build's extensions, told as each target runs, succeeds, fails or is skipped.</summary>
    internal BuildExtensions? Extensions { get; init; }

    public IReadOnlyList<TargetResult> Results { get; } = plan.Targets.Select(t => new TargetResult(t.Name) { Definition = t.Definition }).ToList();

    /// <summary>Adds a note to the summary row of the target that is running.</summary>
    public static void Note(string note) => Current.Value?.Notes.Add(Secrets.Redact(note));

    /// <summary>Requirements are checked for every planned target before anything runs; the first failure lists them all.</summary>
    public static IReadOnlyList<string> CheckRequirements(ExecutionPlan plan)
    {
        var problems = new List<string>();
        plan = ApplyStaticConditions(plan);
        foreach (var t in plan.Targets.Where(t => t.SkipReason is null))
        {
            foreach (var (holds, condition, isParameter) in t.Definition.Requirements)
            {
                var text = condition;
                bool ok;
                try { ok = holds(); }
                catch (Exception e) { ok = false; text += $" ({e.Message})"; }
                if (!ok)
                    problems.Add(isParameter
                        ? $"Target {t.Name} requires parameter '{text}': pass --{Parameters.ParameterResolver.ToKebab(text)} VALUE, set it in .nuke/parameters.json or the environment"
                        : $"Target {t.Name} requires '{text}', which does not hold");
            }
            foreach (var tool in t.Definition.ToolRequirements)
                if (ToolRunner.Which(tool.Name) is null)
                    problems.Add($"Target {t.Name} requires '{tool.Name}' on PATH{(tool.InstallHint is null ? "" : $"; install it with: {tool.InstallHint}")}");
        }
        return problems;
    }

    /// <summary>
    /// Evaluates static conditions before anything runs (Nuke's OnlyWhenStatic): a target that is false is skipped
    /// with the condition's source text. Its dependencies still run (Nuke's default,
    /// <see cref="DependencyBehavior.Execute"/>). A target declared <c>WhenSkipped(DependencyBehavior.Skip)</c>,
    /// skipped by its condition or by --skip, also skips every dependency or triggered target that only skipped
    /// targets of that kind need, transitively, unless it was requested itself.
    /// </summary>
    public static ExecutionPlan ApplyStaticConditions(ExecutionPlan plan)
    {
        if (plan.ConditionsEvaluated) return plan;
        var reasons = plan.Targets.ToDictionary(t => t.Name, t => t.SkipReason);
        foreach (var t in plan.Targets.Where(t => t.SkipReason is null))
        {
            var unmet = t.Definition.StaticConditions.FirstOrDefault(c => !c.Condition());
            if (unmet.Condition is not null) reasons[t.Name] = $"condition false: {unmet.Text}";
        }
        // Skipped targets whose skip carries over to what they need.
        var cascading = plan.Targets.Where(t => reasons[t.Name] is not null && t.Definition.DependencyBehavior == DependencyBehavior.Skip)
            .Select(t => t.Name).ToHashSet();
        for (var changed = cascading.Count > 0; changed;)
        {
            changed = false;
            foreach (var t in plan.Targets)
            {
                if (reasons[t.Name] is not null || t.Requested) continue;
                var neededBy = plan.Targets.Where(u => u.Dependencies.Contains(t.Name)).Select(u => u.Name).Concat(t.TriggeredBy).Distinct().ToList();
                if (neededBy.Count == 0 || !neededBy.All(cascading.Contains)) continue;
                reasons[t.Name] = $"only needed by skipped {string.Join(", ", neededBy)}";
                cascading.Add(t.Name);
                changed = true;
            }
        }
        return new ExecutionPlan(plan.Targets.Select(t => t with { SkipReason = reasons[t.Name] }).ToList()) { ConditionsEvaluated = true };
    }

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var byName = Results.ToDictionary(r => r.Name);
        var targets = plan.Targets.ToDictionary(t => t.Name);
        var failed = false;
        string? failedName = null;
        var aborted = false;

        foreach (var t in plan.Targets)
        {
            var r = byName[t.Name];
            if (t.SkipReason is not null) { r.Status = TargetStatus.Skipped; r.Reason = t.SkipReason; }
        }
        foreach (var r in Results.Where(r => r.Status == TargetStatus.Skipped)) Extensions?.TargetSkipped(r);
        var toRun = plan.Targets.Count(t => t.SkipReason is null);
        var started = 0;

        var pending = plan.Targets.Where(t => byName[t.Name].Status == TargetStatus.NotRun).Select(t => t.Name).ToList();
        var finished = plan.Targets.Where(t => byName[t.Name].Status != TargetStatus.NotRun).Select(t => t.Name).ToHashSet();
        var running = new Dictionary<string, Task>();
        Log.Prefix = parallelism > 1;

        while (pending.Count > 0 || running.Count > 0)
        {
            // Start what may start: predecessors finished, and either nothing failed or this target runs anyway.
            foreach (var name in pending.ToList())
            {
                if (running.Count >= Math.Max(1, parallelism)) break;
                var t = targets[name];
                if (!t.Predecessors.All(finished.Contains)) continue;
                var stopping = failed || aborted;
                if (stopping && !t.Definition.IsAssuredAfterFailure)
                {
                    byName[name].Reason = aborted ? "cancelled" : $"{failedName} failed";
                    pending.Remove(name);
                    finished.Add(name);
                    continue;
                }
                pending.Remove(name);
                running[name] = RunOneAsync(t, byName[name], aborted ? CancellationToken.None : cancellationToken, $"{++started}/{toRun}");
                if (parallelism <= 1) break;
            }
            if (running.Count == 0)
            {
                if (pending.Count == 0) break;
                // Everything left waits on something that will never run.
                foreach (var p in pending) finished.Add(p);
                pending.Clear();
                break;
            }
            var done = await Task.WhenAny(running.Values);
            var doneName = running.First(kv => kv.Value == done).Key;
            running.Remove(doneName);
            finished.Add(doneName);
            var result = byName[doneName];
            if (result.Status == TargetStatus.Aborted) aborted = true;
            if (result.Status == TargetStatus.Failed && !targets[doneName].Definition.IsProceedAfterFailure && !failed) { failed = true; failedName = doneName; }
            if (cancellationToken.IsCancellationRequested) aborted = true;
        }
        Log.Prefix = false;
        return Results.All(r => r.Status is not (TargetStatus.Failed or TargetStatus.Aborted));
    }

    private async Task RunOneAsync(PlannedTarget t, TargetResult r, CancellationToken ct, string progress)
    {
        await Task.Yield();
        using var scope = Log.Scope(t.Name);
        Current.Value = r;
        var unmet = t.Definition.DynamicConditions.FirstOrDefault(c => !c.Condition());
        if (unmet.Condition is not null)
        {
            r.Status = TargetStatus.Skipped;
            r.Reason = $"condition false: {unmet.Text}";
            Extensions?.TargetSkipped(r);
            return;
        }
        if (t.Definition.IsCollective) { r.Status = TargetStatus.Collective; return; }
        // Progress ([3/7]) only where someone watches: a terminal. Piped logs keep the plain header.
        var header = Log.Colors ? $"═══ {t.Name} [{progress}] " : $"═══ {t.Name} ";
        Log.Raw(Log.Color(header, "\u001b[1;36m") + new string('═', Math.Max(0, 64 - header.Length)));
        var sw = Stopwatch.StartNew();
        try
        {
            Extensions?.TargetRunning(r);
            foreach (var action in t.Definition.Actions) await action(ct);
            r.Status = TargetStatus.Succeeded;
            r.Duration = sw.Elapsed;
            Extensions?.TargetSucceeded(r);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            r.Status = TargetStatus.Aborted;
            r.Reason = "cancelled";
        }
        catch (Exception e)
        {
            r.Status = TargetStatus.Failed;
            r.Error = e;
            r.Reason = FirstLine(e.Message);
            Log.Error($"Target {t.Name} failed: {e.Message}");
            if (Log.Level >= Verbosity.Verbose) Log.Debug(e.ToString());
            r.Duration = sw.Elapsed;
            try { Extensions?.TargetFailed(r); }
            catch (Exception hook) { Log.Error($"A build extension failed after target {t.Name} failed: {hook.Message}"); }
        }
        finally
        {
            r.Duration = sw.Elapsed;
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
