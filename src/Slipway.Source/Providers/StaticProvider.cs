using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>Static sites: <c>Staticfile</c> (its <c>root:</c> line) or an <c>index.html</c>, served by busybox httpd.</summary>
public sealed class StaticProvider : IProvider
{
    public string Name => "static";
    public string LooksFor => "Staticfile, index.html (also public/index.html, dist/index.html)";

    /// <summary>busybox httpd in the foreground on $PORT, serving one directory under /app.</summary>
    public static string ServeCommand(string dir) => $"exec httpd -f -v -p ${{PORT}} -h {Shell.Quote(("/app/" + dir.Trim('/')).Replace("/app/.", "/app").TrimEnd('/') is { Length: > 0 } d ? d : "/app")}";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        string? root = null;
        var decided = new List<string>();
        if (app.Read("Staticfile") is { } staticfile)
        {
            decided.Add("Staticfile");
            root = staticfile.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("root:")).Select(l => l[5..].Trim()).FirstOrDefault() ?? ".";
        }
        else if (app.First("index.html", "public/index.html", "dist/index.html") is { } index)
        {
            decided.Add(index);
            root = Path.GetDirectoryName(index) is { Length: > 0 } d ? d : ".";
        }
        if (root is null) return null;
        return new BuildPlan
        {
            Provider = Name,
            RuntimeBase = "busybox",
            RuntimePackages = ["busybox-static"],
            Start = ServeCommand(root),
            Port = 8080,
            Output = [root],
            DecidedBy = decided,
        };
    }
}
