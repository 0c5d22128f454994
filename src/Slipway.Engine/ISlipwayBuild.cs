using System.Linq.Expressions;

namespace Slipway.Engine;

/// <summary>
/// What a build component sees of the build: an interface deriving from this one declares targets and parameters
/// with default implementations, and a build gets them by listing the interface (as Nuke's components):
/// <code>
/// interface IPublish : ISlipwayBuild
/// {
///     [Parameter("Where to push")] string? Registry => TryGetValue(() => Registry);
///     [Parameter("Transfers at once")] int Jobs => TryGetValue(() => Jobs, 4);
///     Target Publish => _ => _.Requires(() => Registry).Executes(() => ReportSummary($"pushed to {Registry}"));
/// }
/// class Build : SlipwayBuild, IPublish { … }
/// </code>
/// </summary>
public interface ISlipwayBuild
{
    /// <summary>The monorepo the build operates on: --root, or the directory holding .nuke/.</summary>
    AbsolutePath RootDirectory { get; }
    /// <summary>The repository that holds the build project (its own .nuke/).</summary>
    AbsolutePath BuildRepositoryDirectory { get; }
    /// <summary>The build project's directory (build/).</summary>
    AbsolutePath BuildProjectDirectory { get; }
    /// <summary>Cancelled on Ctrl-C.</summary>
    CancellationToken CancellationToken { get; }

    static bool IsServerBuild => SlipwayBuild.IsServerBuild;
    static bool IsLocalBuild => SlipwayBuild.IsLocalBuild;
    /// <summary>Adds a note to the running target's row in the summary.</summary>
    static void ReportSummary(string note) => SlipwayBuild.ReportSummary(note);
    /// <summary>A tool required on PATH, for <c>Requires(Tool("buildah", "apt-get install -y buildah"))</c>.</summary>
    static ToolRequirement Tool(string name, string? installHint = null) => new(name, installHint);

    /// <summary>
    /// The value of a component's [Parameter] property, resolved like every other parameter (command line,
    /// environment, parameters files), else <paramref name="defaultValue"/>:
    /// <c>[Parameter] int Jobs => TryGetValue(() => Jobs, 4);</c>
    /// </summary>
    T TryGetValue<T>(Expression<Func<T>> parameter, T defaultValue = default!) => ((SlipwayBuild)this).ComponentParameter(parameter, defaultValue);
}
