using Slipway.Engine.Execution;

namespace Slipway.Engine.Output;

/// <summary>The end-of-build table: target, status (with reason), duration, notes.</summary>
public static class Summary
{
    public static IReadOnlyList<string> Render(IReadOnlyList<TargetResult> results, TimeSpan total)
    {
        var rows = results.Select(r => (
            r.Name,
            Status: r.Status switch
            {
                TargetStatus.Skipped => $"Skipped ({r.Reason})",
                TargetStatus.Failed => "Failed",
                TargetStatus.Aborted => "Aborted",
                _ => r.Status.ToString(),
            },
            Duration: r.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted ? Format(r.Duration) : "",
            Notes: string.Join("; ", r.Notes.Concat(r.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Aborted && r.Reason is not null ? [r.Reason!] : [])))).ToList();
        var w1 = Math.Max(6, rows.Max(r => r.Name.Length));
        var w2 = Math.Max(6, rows.Max(r => r.Status.Length));
        var w3 = Math.Max(8, rows.Max(r => r.Duration.Length));
        var rule = new string('─', w1 + w2 + w3 + 10 + Math.Min(60, Math.Max(5, rows.Max(r => r.Notes.Length))));
        var lines = new List<string> { rule, $"{"Target".PadRight(w1)}   {"Status".PadRight(w2)}   {"Duration".PadLeft(w3)}   Notes", rule };
        lines.AddRange(rows.Select(r => $"{r.Name.PadRight(w1)}   {r.Status.PadRight(w2)}   {r.Duration.PadLeft(w3)}   {r.Notes}".TrimEnd()));
        lines.Add(rule);
        var failed = results.Any(r => r.Status is TargetStatus.Failed or TargetStatus.Aborted);
        lines.Add($"{"Total".PadRight(w1)}   {"".PadRight(w2)}   {Format(total).PadLeft(w3)}");
        lines.Add(rule);
        var outcome = results.Any(r => r.Status == TargetStatus.Failed) ? "failed" : failed ? "aborted" : "succeeded";
        lines.Add($"Build {outcome} on {DateTime.Now:yyyy-MM-dd HH:mm:ss}.");
        return lines;
    }

    public static string Format(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}:{t.Seconds:00}" : $"{t.TotalSeconds:0.0}s";
}
