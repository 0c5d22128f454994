using System.Net;
using System.Text;
using Slipway.Engine.Planning;

namespace Slipway.Engine.Output;

/// <summary>--plan: the order as text, and an HTML page with a Mermaid graph of the whole target graph.</summary>
public static class PlanWriter
{
    public static IReadOnlyList<string> Text(ExecutionPlan plan) =>
        plan.Targets.Select((t, i) => $"{i + 1,3}. {t.Name}{(t.Requested ? " (requested)" : "")}{(t.SkipReason is null ? "" : $" — skipped {t.SkipReason}")}"
            + (t.Predecessors.Count > 0 ? $"  after {string.Join(", ", t.Predecessors)}" : "")).ToList();

    public static string Mermaid(IReadOnlyList<TargetDefinition> all, ExecutionPlan plan)
    {
        var planned = plan.Targets.Select(t => t.Name).ToHashSet();
        var sb = new StringBuilder("graph LR\n");
        foreach (var t in all.Where(t => !t.IsUnlisted))
            sb.Append($"  {t.Name}[\"{t.Name}\"]\n");
        foreach (var t in all)
        {
            foreach (var d in t.DependsOnRefs.OfType<string>()) sb.Append($"  {d} --> {t.Name}\n");
            foreach (var d in t.TriggersRefs.OfType<string>()) sb.Append($"  {t.Name} -.triggers.-> {d}\n");
            foreach (var d in t.AfterRefs.OfType<string>()) sb.Append($"  {d} -.after.-> {t.Name}\n");
        }
        sb.Append("  classDef planned fill:#cfe8ff,stroke:#1f6feb,stroke-width:2px\n");
        if (planned.Count > 0) sb.Append($"  class {string.Join(",", planned)} planned\n");
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<TargetDefinition> all, ExecutionPlan plan) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Execution plan</title>
        <script type="module">import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@10/dist/mermaid.esm.min.mjs'; mermaid.initialize({ startOnLoad: true });</script>
        <style>body{font-family:sans-serif;margin:2em} pre.plan{background:#f6f8fa;padding:1em}</style></head>
        <body><h1>Execution plan</h1>
        <pre class="plan">{{WebUtility.HtmlEncode(string.Join("\n", Text(plan)))}}</pre>
        <h2>Target graph</h2><p>Highlighted targets are in this plan.</p>
        <pre class="mermaid">
        {{WebUtility.HtmlEncode(Mermaid(all, plan))}}
        </pre></body></html>
        """;
}
