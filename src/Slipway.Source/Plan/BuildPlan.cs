using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Source.Plan;

/// <summary>
/// What a provider decided for one app, printed by <c>slipway detect</c> and built by <c>slipway build-source</c>
/// (an edited plan file may be built instead of detecting). Paths are inside the image under <see cref="AppRoot"/>.
/// </summary>
public sealed record BuildPlan
{
    public const string AppRoot = "/app";

    public required string Provider { get; init; }
    public string? Framework { get; init; }
    /// <summary>Toolchain and runtime versions, each with where it came from.</summary>
    public IReadOnlyList<PlanVersion> Versions { get; init; } = [];
    /// <summary>Source base of the build stage (a <see cref="SourceBases"/> name); null = no build stage, files copied as they are.</summary>
    public string? BuildBase { get; init; }
    /// <summary>
    /// A toolchain the machine's configuration provides instead of a base (e.g. "dotnet": the .NET SDK at
    /// <see cref="SourceBuilderOptions.DotnetRoot"/>), mounted read-only in the build stage; null = none.
    /// </summary>
    public string? HostToolchain { get; init; }
    /// <summary>Base of the runtime image (a <see cref="SourceBases"/> name).</summary>
    public required string RuntimeBase { get; init; }
    /// <summary>Debian packages the runtime base brings (for the reader; the base decides).</summary>
    public IReadOnlyList<string> RuntimePackages { get; init; } = [];
    /// <summary>Debian packages installed on top of the build base (a peer config's system packages; <see cref="SystemPackages"/>); null = none.</summary>
    public IReadOnlyList<string>? BuildSystemPackages { get; init; }
    /// <summary>Debian packages installed on top of the runtime base (a peer config's system packages); null = none.</summary>
    public IReadOnlyList<string>? RuntimeSystemPackages { get; init; }
    /// <summary>Files copied before the install step: only they decide the dependency layer (cached by their content).</summary>
    public IReadOnlyList<string> DependencyFiles { get; init; } = [];
    public IReadOnlyList<string> Setup { get; init; } = [];
    public IReadOnlyList<string> Install { get; init; } = [];
    public IReadOnlyList<string> Build { get; init; } = [];
    /// <summary>Shell command the container starts (run by <c>sh -c</c>, so $PORT expands).</summary>
    public required string Start { get; init; }
    public int Port { get; init; } = 8080;
    /// <summary>Environment of the running container (PORT is added from <see cref="Port"/>).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Environment of the build stage's setup, install and build steps (mirrors are added by the builder).</summary>
    public IReadOnlyDictionary<string, string> BuildEnv { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Build-stage directories kept between builds (package manager caches).</summary>
    public IReadOnlyList<string> CacheDirectories { get; init; } = [];
    /// <summary>Paths under /app that form the dependency layer of the runtime image (e.g. node_modules).</summary>
    public IReadOnlyList<string> DependencyPaths { get; init; } = [];
    /// <summary>Paths under /app copied into the runtime image ("." = everything the build left in /app).</summary>
    public IReadOnlyList<string> Output { get; init; } = ["."];
    /// <summary>
    /// Files the plan writes under /app (path relative to /app → content), part of the app layer whatever
    /// <see cref="Output"/> says: e.g. the static server's rendered Caddyfile; null = none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }
    /// <summary>Package registries the install step needs (npm, pypi, goproxy, crates); checked before building.</summary>
    public IReadOnlyList<RegistryNeed> Registries { get; init; } = [];
    /// <summary>What the build should tell its user about this plan (e.g. a peer config's package that is not installed); null = nothing.</summary>
    public IReadOnlyList<string>? Notes { get; init; }
    /// <summary>The files that decided this plan, relative to the app directory.</summary>
    public IReadOnlyList<string> DecidedBy { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static BuildPlan FromJson(string json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<BuildPlan>(json, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{file}{(e.LineNumber is { } l ? ":" + (l + 1) : "")}: not a build plan: {e.Message.Split('\n')[0]}; write one with `slipway detect DIR > {Path.GetFileName(file)}`", e);
        }
    }
}

/// <summary>A version the plan uses and where it came from (e.g. "package.json engines.node", "default: Debian bookworm").</summary>
public sealed record PlanVersion(string Name, string Version, string Source);

/// <summary>A package registry the install step reaches, and the dependency that made it necessary.</summary>
public sealed record RegistryNeed(string Registry, string Dependency);
