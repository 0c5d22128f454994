namespace Slipway.Engine.Execution;

public enum TargetStatus { NotRun, Succeeded, Failed, Skipped, Collective, Aborted }

/// <summary>The outcome of one planned target, as shown in the summary table.</summary>
public sealed class TargetResult(string name)
{
    public string Name { get; } = name;
    /// <summary>The declaration (null for results made by hand in tests).</summary>
    public TargetDefinition? Definition { get; init; }
    public TargetStatus Status { get; set; } = TargetStatus.NotRun;
    public string? Reason { get; set; }
    public TimeSpan Duration { get; set; }
    public List<string> Notes { get; } = [];
    public Exception? Error { get; set; }
}
