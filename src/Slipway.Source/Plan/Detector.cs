using Slipway.Source.Providers;
using Slipway.Tooling;

namespace Slipway.Source.Plan;

/// <summary>
/// Tries the providers in their documented order and applies the overrides (build/start command, Procfile web:).
/// The first provider that recognises the app plans it.
/// </summary>
public sealed class Detector(PackageMirrors mirrors)
{
    /// <summary>The documented order: language providers first (a Node app may also hold an index.html), then the fallbacks.</summary>
    public static IReadOnlyList<IProvider> Providers { get; } =
        [new NodeProvider(), new PythonProvider(), new GoProvider(), new RustProvider(), new DotnetProvider(), new DenoProvider(), new CppProvider(), new PhpProvider(), new StaticProvider(), new ShellProvider(), new ProcfileProvider()];

    public BuildPlan Detect(string appDirectory, string? buildCommand = null, string? startCommand = null, string? displayName = null, Slipway.Oci.Model.Platform? target = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var app = new AppFiles(appDirectory);
        var context = new PlanContext(mirrors) { StartCommand = startCommand, Target = target ?? Slipway.Oci.Model.Platform.Current, Variables = variables ?? new Dictionary<string, string>() };
        BuildPlan? plan = null;
        PeerConfig peer;
        try
        {
            peer = PeerConfig.Read(app, variables);
            foreach (var provider in ProvidersFor(peer))
                if ((plan = provider.Detect(app, context)) is not null) break;
            // A peer config with a start command is an app of its own even when no provider recognises the files.
            if (plan is null && peer.Start is not null)
                plan = new BuildPlan { Provider = "config", RuntimeBase = "debian", Start = peer.Start, DecidedBy = [] };
        }
        catch (FormatException e) { throw new StepFailure("detect", FailureClass.Permanent, e.Message, inner: e); }
        if (plan is null)
            throw new StepFailure("detect", FailureClass.Permanent,
                $"no provider matches {displayName ?? appDirectory}; tried {string.Join("; ", Providers.Select(p => $"{p.Name} (looks for {p.LooksFor})"))}. Add one of those files, a Dockerfile, or pass --root-directory to the app's folder");
        if (plan.Provider != "procfile" && ProcfileProvider.WebCommand(app) is { } web)
            plan = plan with { Start = web, DecidedBy = [.. plan.DecidedBy, "Procfile"] };
        // The peer's config file over what was detected (and over a Procfile); the command-line overrides below over both.
        if (!peer.IsEmpty)
            try { plan = Apply(plan, peer); }
            catch (FormatException e) { throw new StepFailure("detect", FailureClass.Permanent, e.Message, inner: e); }
        if (!string.IsNullOrWhiteSpace(buildCommand))
            plan = plan with { Build = [buildCommand], BuildBase = plan.BuildBase ?? BuildBaseFor(plan) };
        if (!string.IsNullOrWhiteSpace(startCommand))
            plan = plan with { Start = startCommand };
        return plan;
    }

    /// <summary>The providers to try: the one a peer config names (railpack.json provider, nixpacks.toml providers), else all in order.</summary>
    private static IReadOnlyList<IProvider> ProvidersFor(PeerConfig peer)
    {
        if (peer.Provider is not { } want) return Providers;
        var name = want.ToLowerInvariant() switch { "golang" => "go", "csharp" or "dotnet" => "dotnet", "staticfile" => "static", "c" or "cpp" or "c++" => "cpp", "node" or "bun" => "node", var n => n };
        return [Providers.FirstOrDefault(p => p.Name == name)
            ?? throw new FormatException($"{peer.SetBy.First(s => s.EndsWith("provider") || s.EndsWith("providers"))}: provider '{Shell.Printable(want)}' is not known; valid providers: {string.Join(", ", Providers.Select(p => p.Name))}")];
    }

    /// <summary>A peer config's commands, start, variables and packages over the detected plan; "..." keeps the provider's commands.</summary>
    private static BuildPlan Apply(BuildPlan plan, PeerConfig peer)
    {
        var env = new SortedDictionary<string, string>(plan.Env.ToDictionary(), StringComparer.Ordinal);
        var buildEnv = new SortedDictionary<string, string>(plan.BuildEnv.ToDictionary(), StringComparer.Ordinal);
        foreach (var (k, v) in peer.Variables) { env[k] = v; buildEnv[k] = v; }
        var build = peer.Build is { } b ? PeerConfig.Expand(b, plan.Build) : plan.Build;
        // railpack.json's own steps run after the build, in the build stage, in the file's order.
        build = [.. build, .. peer.Steps.SelectMany(s => s.Commands)];
        var install = peer.Install is { } i ? PeerConfig.Expand(i, plan.Install) : plan.Install;
        // System packages become Debian packages on the bases (one note each for a name with no mapping).
        var packages = SystemPackages.Map(peer.Packages, plan.Provider);
        var notes = (plan.Notes ?? []).Concat(packages.Notes).ToList();
        return plan with
        {
            Install = install,
            Build = build,
            BuildBase = plan.BuildBase ?? (build.Count + install.Count > 0 ? BuildBaseFor(plan) : null),
            Start = peer.Start ?? plan.Start,
            Env = env,
            BuildEnv = buildEnv,
            Notes = notes.Count > 0 ? notes : null,
            BuildSystemPackages = (plan.BuildSystemPackages ?? []).Union(packages.Build).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } bp ? bp : null,
            RuntimeSystemPackages = (plan.RuntimeSystemPackages ?? []).Union(packages.Runtime).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } rp ? rp : null,
            DecidedBy = [.. plan.DecidedBy, .. peer.SetBy],
        };
    }

    /// <summary>A build command on a plan without a build stage runs on the runtime base (static/shell apps).</summary>
    private static string BuildBaseFor(BuildPlan plan) => plan.RuntimeBase == "busybox" ? "busybox" : "debian";
}
