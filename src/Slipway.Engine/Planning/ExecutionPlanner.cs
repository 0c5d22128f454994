namespace Slipway.Engine.Planning;

/// <summary>
/// Pure planning over named targets: no reflection, no I/O. References inside definitions must already be names.
/// </summary>
public static class ExecutionPlanner
{
    /// <summary>Names compare ignoring case and dashes: "run-tests" finds RunTests.</summary>
    public static string Normalize(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    public static TargetDefinition Find(IReadOnlyList<TargetDefinition> all, string name)
    {
        var key = Normalize(name);
        return all.FirstOrDefault(t => Normalize(t.Name) == key)
            ?? throw new PlanningException($"Target '{name}' does not exist. Available targets are: {string.Join(", ", all.Where(t => !t.IsUnlisted).Select(t => t.Name).Order(StringComparer.Ordinal))}");
    }

    /// <param name="skip">null: no --skip; empty: skip every target that was not requested; otherwise those names.</param>
    public static ExecutionPlan Plan(IReadOnlyList<TargetDefinition> all, IReadOnlyList<string> requested, string? defaultTarget, IReadOnlyList<string>? skip = null)
    {
        var duplicates = all.GroupBy(t => Normalize(t.Name)).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
            throw new PlanningException($"Target names must be unique (ignoring case and dashes): {string.Join("; ", duplicates.Select(g => string.Join(" = ", g.Select(t => t.Name))))}");

        var byName = all.ToDictionary(t => t.Name);
        string Ref(object r, TargetDefinition owner) => r is string s ? Find(all, s).Name
            : throw new PlanningException($"Target '{owner.Name}' references a target the loader did not name");
        List<string> Refs(IEnumerable<object> refs, TargetDefinition owner) => refs.Select(r => Ref(r, owner)).ToList();

        // Edges of the whole graph, by name.
        var dependsOn = all.ToDictionary(t => t.Name, t => Refs(t.DependsOnRefs, t));
        foreach (var t in all) foreach (var d in Refs(t.DependentForRefs, t)) dependsOn[d].Add(t.Name);
        var triggers = all.ToDictionary(t => t.Name, t => Refs(t.TriggersRefs, t));
        foreach (var t in all) foreach (var d in Refs(t.TriggeredByRefs, t)) triggers[d].Add(t.Name);
        var after = all.ToDictionary(t => t.Name, t => Refs(t.AfterRefs, t));
        foreach (var t in all) foreach (var d in Refs(t.BeforeRefs, t)) after[d].Add(t.Name);

        var roots = requested.Count > 0 ? requested.Select(r => Find(all, r).Name).ToList()
            : defaultTarget is not null ? [Find(all, defaultTarget).Name]
            : throw new PlanningException($"No target given and no default target. Available targets are: {string.Join(", ", all.Where(t => !t.IsUnlisted).Select(t => t.Name))}");

        // Closure over DependsOn (incl. DependentFor) and Triggers (incl. TriggeredBy).
        var included = new HashSet<string>();
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!included.Add(n)) continue;
            foreach (var d in dependsOn[n]) stack.Push(d);
            foreach (var d in triggers[n]) stack.Push(d);
        }

        // Ordering: dependency before dependent, trigger before triggered, After/Before when both are planned.
        var preds = included.ToDictionary(n => n, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var n in included)
        {
            foreach (var d in dependsOn[n]) preds[n].Add(d);
            foreach (var d in after[n].Where(included.Contains)) preds[n].Add(d);
            foreach (var d in triggers[n]) preds[d].Add(n);
        }

        var order = TopologicalSort(all.Select(t => t.Name).Where(included.Contains).ToList(), preds);

        var skipSet = skip?.Select(s => Find(all, s).Name).ToHashSet();
        var requestedSet = roots.ToHashSet();
        var planned = order.Select(n =>
        {
            string? reason = null;
            if (skip is not null && (skipSet!.Count == 0 ? !requestedSet.Contains(n) : skipSet.Contains(n))) reason = "via --skip";
            return new PlannedTarget(byName[n], requestedSet.Contains(n), reason, preds[n].ToList())
            {
                Dependencies = dependsOn[n].Distinct().ToList(),
                TriggeredBy = included.Where(o => triggers[o].Contains(n)).Order(StringComparer.Ordinal).ToList(),
            };
        }).ToList();
        return new ExecutionPlan(planned);
    }

    /// <summary>Kahn's algorithm, ties broken by declaration order; a cycle fails naming its members in order.</summary>
    private static List<string> TopologicalSort(List<string> declared, Dictionary<string, SortedSet<string>> preds)
    {
        var remaining = preds.ToDictionary(kv => kv.Key, kv => kv.Value.Count);
        var result = new List<string>();
        var done = new HashSet<string>();
        while (result.Count < declared.Count)
        {
            var next = declared.FirstOrDefault(n => !done.Contains(n) && preds[n].All(done.Contains));
            if (next is null) throw new PlanningException($"Targets form a cycle: {string.Join(" -> ", FindCycle(declared.Where(n => !done.Contains(n)).ToList(), preds))}");
            done.Add(next);
            result.Add(next);
        }
        return result;
    }

    private static List<string> FindCycle(List<string> stuck, Dictionary<string, SortedSet<string>> preds)
    {
        // Walk predecessors inside the stuck set until a name repeats; that loop is the cycle.
        var path = new List<string>();
        var current = stuck[0];
        while (!path.Contains(current))
        {
            path.Add(current);
            current = preds[current].First(p => stuck.Contains(p));
        }
        var cycle = path.Skip(path.IndexOf(current)).Reverse().ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }
}
