using System.Globalization;
using System.Net;
using System.Text;
using Slipway.Engine.Planning;

namespace Slipway.Engine.Output;

/// <summary>
/// --plan: the order as text, and an HTML page with the whole target graph drawn as inline SVG — no script, no
/// network, so it renders the same offline, in CI artifacts and in a mail client.
/// </summary>
public static class ExecutionPlanWriter
{
    public static IReadOnlyList<string> Text(ExecutionPlan plan) =>
        plan.Targets.Select((t, i) => $"{i + 1,3}. {t.Name}{(t.Requested ? " (requested)" : "")}{(t.SkipReason is null ? "" : $" — skipped {t.SkipReason}")}"
            + (t.Predecessors.Count > 0 ? $"  after {string.Join(", ", t.Predecessors)}" : "")).ToList();

    private enum EdgeKind { DependsOn, Triggers, After }

    private const int CharWidth = 8, NodeHeight = 28, RowGap = 16, LayerGap = 70, Margin = 20;

    /// <summary>
    /// A layered drawing, left to right: a target's layer is the longest path to it over dependency, trigger and
    /// ordering edges; within a layer targets sit near the mean row of their predecessors (one barycenter pass,
    /// ties in declaration order), which keeps most edges short and uncrossed for build-sized graphs.
    /// </summary>
    public static string Svg(IReadOnlyList<TargetDefinition> all, ExecutionPlan plan)
    {
        var nodes = all.Where(t => !t.IsUnlisted || plan.Targets.Any(p => p.Name == t.Name)).ToList();
        var names = nodes.Select(n => n.Name).ToHashSet();
        var edges = new List<(string From, string To, EdgeKind Kind)>();
        foreach (var t in all)
        {
            foreach (var d in t.DependsOnRefs.OfType<string>()) edges.Add((d, t.Name, EdgeKind.DependsOn));
            foreach (var d in t.DependentForRefs.OfType<string>()) edges.Add((t.Name, d, EdgeKind.DependsOn));
            foreach (var d in t.TriggersRefs.OfType<string>()) edges.Add((t.Name, d, EdgeKind.Triggers));
            foreach (var d in t.TriggeredByRefs.OfType<string>()) edges.Add((d, t.Name, EdgeKind.Triggers));
            foreach (var d in t.AfterRefs.OfType<string>()) edges.Add((d, t.Name, EdgeKind.After));
            foreach (var d in t.BeforeRefs.OfType<string>()) edges.Add((t.Name, d, EdgeKind.After));
        }
        edges = edges.Where(e => names.Contains(e.From) && names.Contains(e.To) && e.From != e.To).Distinct().ToList();
        var preds = nodes.ToDictionary(n => n.Name, n => edges.Where(e => e.To == n.Name).Select(e => e.From).Distinct().ToList());

        // Longest path from a source; a name already on the stack (a cycle of ordering edges) counts as layer 0.
        var layer = new Dictionary<string, int>();
        var visiting = new HashSet<string>();
        int Layer(string n)
        {
            if (layer.TryGetValue(n, out var l)) return l;
            if (!visiting.Add(n)) return 0;
            l = preds[n].Select(p => Layer(p) + 1).DefaultIfEmpty(0).Max();
            visiting.Remove(n);
            return layer[n] = l;
        }
        foreach (var n in nodes) Layer(n.Name);

        var declared = nodes.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var row = new Dictionary<string, double>();
        var columns = nodes.GroupBy(n => layer[n.Name]).OrderBy(g => g.Key).Select(g => g.Select(n => n.Name).ToList()).ToList();
        foreach (var column in columns)
        {
            var ordered = column.OrderBy(n => preds[n].Where(row.ContainsKey).Select(p => row[p]).DefaultIfEmpty(double.MaxValue).Average())
                .ThenBy(n => declared[n]).ToList();
            for (var i = 0; i < ordered.Count; i++) row[ordered[i]] = i;
            column.Clear();
            column.AddRange(ordered);
        }

        var widths = columns.Select(c => c.Max(n => n.Length) * CharWidth + 24).ToList();
        var x = new Dictionary<string, double>();
        var y = new Dictionary<string, double>();
        var left = (double)Margin;
        for (var c = 0; c < columns.Count; c++)
        {
            foreach (var n in columns[c]) { x[n] = left; y[n] = Margin + row[n] * (NodeHeight + RowGap); }
            left += widths[c] + LayerGap;
        }
        double Width(string n) => widths[layer[n]];
        var totalWidth = left - LayerGap + Margin;
        var totalHeight = Margin * 2 + (columns.Count == 0 ? 0 : columns.Max(c => c.Count)) * (NodeHeight + RowGap) - RowGap;

        var planned = plan.Targets.ToDictionary(t => t.Name);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plan-graph\" width=\"{totalWidth:0}\" height=\"{Math.Max(totalHeight, 40):0}\" font-family=\"monospace\" font-size=\"13\">\n");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker></defs>\n");
        foreach (var (from, to, kind) in edges)
        {
            double x1 = x[from] + Width(from), y1 = y[from] + NodeHeight / 2.0, x2 = x[to], y2 = y[to] + NodeHeight / 2.0;
            var bend = Math.Max(30, Math.Abs(x2 - x1) / 2);
            var dash = kind switch { EdgeKind.Triggers => " stroke-dasharray=\"6 4\"", EdgeKind.After => " stroke-dasharray=\"2 3\"", _ => "" };
            sb.Append(CultureInfo.InvariantCulture,
                $"<path class=\"edge {kind.ToString().ToLowerInvariant()}\" d=\"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.3\"{dash} marker-end=\"url(#arrow)\"><title>{E(from)} {(kind == EdgeKind.DependsOn ? "before" : kind == EdgeKind.Triggers ? "triggers" : "orders before")} {E(to)}</title></path>\n");
        }
        foreach (var n in nodes)
        {
            var p = planned.GetValueOrDefault(n.Name);
            var (fill, stroke, cls) = p is null ? ("#ffffff", "#8c959f", "node")
                : p.SkipReason is not null ? ("#eaeef2", "#8c959f", "node planned skipped")
                : ("#cfe8ff", "#1f6feb", "node planned");
            var title = n.Name + (n.DescriptionText is null ? "" : $": {n.DescriptionText}") + (p?.SkipReason is null ? "" : $" (skipped {p.SkipReason})");
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"{cls}\" data-target=\"{E(n.Name)}\"><title>{E(title)}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x[n.Name]:0.#}\" y=\"{y[n.Name]:0.#}\" width=\"{Width(n.Name)}\" height=\"{NodeHeight}\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(p?.Requested == true ? 2.5 : 1.2).ToString(CultureInfo.InvariantCulture)}\"{(p?.SkipReason is null ? "" : " stroke-dasharray=\"4 3\"")}/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x[n.Name] + 12:0.#}\" y=\"{y[n.Name] + NodeHeight / 2.0 + 4.5:0.#}\"{(p?.Requested == true ? " font-weight=\"bold\"" : "")}>{E(n.Name)}</text></g>\n");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<TargetDefinition> all, ExecutionPlan plan) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Execution plan</title>
        <style>body{font-family:sans-serif;margin:2em} pre.plan{background:#f6f8fa;padding:1em} .legend span{margin-right:1.5em}</style></head>
        <body><h1>Execution plan</h1>
        <pre class="plan">{{E(string.Join("\n", Text(plan)))}}</pre>
        <h2>Target graph</h2>
        <p class="legend"><span>blue: in this plan (bold border: requested)</span><span>grey dashed: planned but skipped</span><span>white: not planned</span>
        <span>solid arrow: runs before (DependsOn)</span><span>dashed: triggers</span><span>dotted: ordering only (After/Before)</span></p>
        {{Svg(all, plan)}}
        </body></html>
        """;

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
