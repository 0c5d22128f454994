using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>One kind of app (Node, Python, Go, ...): recognises it from its files and plans its build.</summary>
public interface IProvider
{
    string Name { get; }
    /// <summary>What triggers this provider, for the "no provider matches" message and the docs.</summary>
    string LooksFor { get; }
    /// <summary>The plan, or null when the app is not of this kind.</summary>
    BuildPlan? Detect(AppFiles app, PlanContext context);
}

/// <summary>What detection may consult beyond the files: the configured mirrors and the start override (which may pick one of several binaries).</summary>
public sealed record PlanContext(PackageMirrors Mirrors)
{
    public string? StartCommand { get; init; }
    /// <summary>The platform the image is for: downloads (Node, Bun, .NET runtime identifiers) follow its architecture.</summary>
    public Slipway.Oci.Model.Platform Target { get; init; } = Slipway.Oci.Model.Platform.Current;
    /// <summary>Version ranges resolved against the configured npm registry (Node, pnpm, yarn, bun).</summary>
    public NpmVersions Npm { get; init; } = new(Mirrors.Npm);
    /// <summary>The service's variables (a PaaS's environment), of which detection reads Railpack's RAILPACK_* settings.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>A variable's trimmed value, null when unset or blank.</summary>
    public string? Variable(string name) => Variables.TryGetValue(name, out var v) && v.Trim() is { Length: > 0 } t ? t : null;
}
