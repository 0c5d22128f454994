using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>Shell apps: a <c>start.sh</c>, run by bash on Debian.</summary>
public sealed class ShellProvider : IProvider
{
    public string Name => "shell";
    public string LooksFor => "start.sh";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        // RAILPACK_SHELL_SCRIPT names another script than start.sh (a path inside the app, passed quoted).
        var script = context.Variable("RAILPACK_SHELL_SCRIPT") is { } named && !named.Contains("..") && !named.StartsWith('/') && app.Exists(named) ? named : "start.sh";
        return !app.Exists(script) ? null : new BuildPlan
        {
            Provider = Name,
            RuntimeBase = "debian",
            RuntimePackages = ["bash", "coreutils"],
            Start = "exec bash " + Shell.Quote(script),
            DecidedBy = [script == "start.sh" ? "start.sh" : $"{script} (variable RAILPACK_SHELL_SCRIPT)"],
        };
    }
}

/// <summary>A Procfile's <c>web:</c> process on Debian, for apps no other provider recognises.</summary>
public sealed class ProcfileProvider : IProvider
{
    public string Name => "procfile";
    public string LooksFor => "Procfile with a web: line";

    public BuildPlan? Detect(AppFiles app, PlanContext context) => WebCommand(app) is not { } web ? null : new BuildPlan
    {
        Provider = Name,
        RuntimeBase = "debian",
        RuntimePackages = ["bash", "coreutils"],
        Start = web,
        DecidedBy = ["Procfile"],
    };

    /// <summary>The <c>web:</c> command of a Procfile, or null.</summary>
    public static string? WebCommand(AppFiles app) =>
        app.Read("Procfile")?.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("web:")).Select(l => l[4..].Trim()).FirstOrDefault(l => l.Length > 0);
}
