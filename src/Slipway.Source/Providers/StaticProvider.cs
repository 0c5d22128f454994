using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>Static sites: <c>Staticfile</c> (its <c>root:</c>) or an <c>index.html</c>, served as <see cref="StaticServer"/> decides.</summary>
public sealed class StaticProvider : IProvider
{
    public string Name => "static";
    public string LooksFor => "Staticfile, index.html (also public/index.html, dist/index.html)";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        string? root = null;
        var decided = new List<string>();
        if (StaticServer.ReadStaticfile(app) is { } staticfile)
        {
            decided.Add("Staticfile");
            root = staticfile.Root ?? ".";
        }
        else if (app.First("index.html", "public/index.html", "dist/index.html") is { } index)
        {
            decided.Add(index);
            root = Path.GetDirectoryName(index) is { Length: > 0 } d ? d : ".";
        }
        if (root is null) return null;
        // A plain static site answers 404 for unknown paths unless its Staticfile asks for the index fallback.
        var serving = StaticServer.For(app, root, fallbackByDefault: false);
        return new BuildPlan
        {
            Provider = Name,
            RuntimeBase = serving.RuntimeBase,
            RuntimePackages = serving.RuntimePackages,
            Start = serving.Start,
            Port = serving.Port,
            Env = serving.Env,
            Files = serving.Files,
            Output = [root],
            DecidedBy = [.. decided, .. serving.DecidedBy],
        };
    }
}
