using System.Text.RegularExpressions;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// .NET: a project file at the root (<c>*.csproj</c>, <c>*.fsproj</c>, <c>*.vbproj</c>) or the projects of a
/// root <c>*.sln</c>/<c>*.slnx</c>, evaluated by MSBuild (<see cref="DotnetProject"/>); the one executable or
/// web project is published. The SDK does not come from Debian: it is the machine's configured .NET SDK
/// (<see cref="SourceBuilderOptions.DotnetRoot"/>), mounted read-only in the build stage. Framework-dependent
/// apps take the matching shared runtime from that SDK into their own layer on the dotnet-deps base (Debian's libssl, libstdc++, CA certificates); self-contained
/// and Native AOT apps publish for linux-x64 and need NuGet's runtime packs.
/// </summary>
public sealed partial class DotnetProvider : IProvider
{
    /// <summary>Where the configured SDK is mounted in the build stage.</summary>
    public const string SdkMount = "/usr/share/dotnet";
    public const string Toolchain = "dotnet";
    private const string Runtime = "/app/.slipway/dotnet";
    private const string Publish = "/app/.slipway/publish";

    public string Name => "dotnet";
    public string LooksFor => "*.csproj, *.fsproj, *.vbproj, *.sln or *.slnx";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        var rootFiles = Directory.EnumerateFiles(app.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var projects = rootFiles.Where(f => Regex.IsMatch(f!, @"\.(cs|fs|vb)proj$")).ToList();
        var solution = rootFiles.FirstOrDefault(f => f!.EndsWith(".sln") || f.EndsWith(".slnx"));
        if (projects.Count == 0 && solution is null) return null;
        var decided = new List<string>();
        if (projects.Count == 0)
        {
            projects = SolutionProjects(app, solution!);
            decided.Add(solution!);
            if (projects.Count == 0) throw new FormatException($"{solution}: lists no project; add one with `dotnet sln add`");
        }
        var evaluated = projects.Select(p => DotnetProject.Evaluate(app.Full(p!), p!)).ToList();
        var runnable = evaluated.Where(p => p.Executable).ToList();
        var project = Pick(runnable, evaluated, context.StartCommand);
        decided.Add(project.Path);
        decided.AddRange(new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "nuget.config", "NuGet.Config" }.Where(app.Exists));

        var tfmVersion = Regex.Match(project.TargetFramework, @"^net(\d+\.\d+)").Groups[1].Value;
        if (tfmVersion.Length == 0) throw new FormatException($"{project.Path}: TargetFramework '{project.TargetFramework}' is not a .NET (net5.0 or later) target; valid targets look like net8.0, net10.0");
        var native = project.PublishAot || project.SelfContained;
        var rid = project.RuntimeIdentifier ?? TargetPlatforms.DotnetRid(context.Target);
        // Paths, names and the target framework come from the project files: quoted words, never shell syntax.
        var quoted = Shell.Quote(project.Path);
        var tfm = Shell.Quote(project.TargetFramework);
        var build = new List<string>();
        if (native)
            build.Add($"dotnet publish {quoted} -c Release -f {tfm} -r {Shell.Quote(rid)} --self-contained -o {Publish}");
        else
        {
            build.Add($"dotnet publish {quoted} -c Release -f {tfm} -o {Publish} -p:UseAppHost=false");
            // The shared runtime(s) the app rolls forward to: the newest patch of its major.minor in the SDK.
            var frameworks = project.Web ? "Microsoft.NETCore.App Microsoft.AspNetCore.App" : "Microsoft.NETCore.App";
            build.Add($"D={SdkMount}; mkdir -p {Runtime}/shared && cp -a $D/dotnet $D/host {Runtime}/ && for f in {frameworks}; do v=$(ls $D/shared/$f | grep '^{Regex.Escape(tfmVersion)}\\.' | sort -V | tail -1); [ -n \"$v\" ] || {{ echo \"the configured .NET SDK ($D) has no $f {tfmVersion} runtime; point SLIPWAY_DOTNET_ROOT at one that has\" >&2; exit 1; }}; mkdir -p {Runtime}/shared/$f && cp -a $D/shared/$f/$v {Runtime}/shared/$f/; done");
        }
        var run = native ? Shell.Quote($"{Publish}/{project.AssemblyName}") : $"{Runtime}/dotnet {Shell.Quote($"{Publish}/{project.AssemblyName}.dll")}";
        var needs = project.PackageReferences.Select(p => new RegistryNeed("nuget", p)).Take(1).ToList();
        if (native && needs.Count == 0) needs.Add(new RegistryNeed("nuget", $"Microsoft.NETCore.App.Runtime.{rid}"));
        return new BuildPlan
        {
            Provider = Name,
            Framework = project.Web ? "aspnetcore" : "console",
            Versions = [new PlanVersion("dotnet", project.TargetFramework, $"{project.Path} TargetFramework")],
            BuildBase = "dotnet-deps",
            HostToolchain = Toolchain,
            RuntimeBase = "dotnet-deps",
            RuntimePackages = ["ca-certificates", "libssl3", "libstdc++6", "zlib1g", "tzdata"],
            DependencyFiles = new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "nuget.config", "NuGet.Config" }.Where(app.Exists).Concat(projects!).Concat(solution is null ? [] : [solution]).ToList(),
            Install = [$"dotnet restore {quoted}{(native ? " -r " + Shell.Quote(rid) : "")}"],
            Build = build,
            Start = project.Web ? $"export ASPNETCORE_HTTP_PORTS=\"$PORT\"; exec {run}" : $"exec {run}",
            Port = 8080,
            Env = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["DOTNET_NOLOGO"] = "1",
                // The Debian runtime base has no ICU.
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
            },
            BuildEnv = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
                // No build servers left running in the build container.
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["UseSharedCompilation"] = "false",
                ["PATH"] = $"{SdkMount}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            },
            CacheDirectories = ["/root/.nuget/packages"],
            DependencyPaths = native ? [] : [".slipway/dotnet"],
            Output = native ? [".slipway/publish"] : [".slipway/dotnet", ".slipway/publish"],
            Registries = needs,
            DecidedBy = decided.Distinct().ToList(),
        };
    }

    private static DotnetProject Pick(List<DotnetProject> runnable, List<DotnetProject> all, string? start)
    {
        if (runnable.Count == 1) return runnable[0];
        if (runnable.Count == 0)
            throw new FormatException($"no executable .NET project: {string.Join(", ", all.Select(p => p.Path))} build libraries; add <OutputType>Exe</OutputType> or use Microsoft.NET.Sdk.Web for the app");
        if (start is not null && runnable.Where(p => start.Contains(p.AssemblyName + ".dll", StringComparison.Ordinal) || Regex.IsMatch(start, $@"(^|[\s/]){Regex.Escape(p.AssemblyName)}(\s|$)")).ToList() is [var named]) return named;
        throw new FormatException($"{runnable.Count} executable .NET projects: {string.Join(", ", runnable.Select(p => $"{p.AssemblyName} ({p.Path})"))}; pick one with --root-directory set to its folder or a start command naming its assembly");
    }

    /// <summary>The project paths a solution lists (classic .sln lines or .slnx elements), with forward slashes.</summary>
    private static List<string> SolutionProjects(AppFiles app, string solution)
    {
        var text = app.Read(solution)!;
        var paths = solution.EndsWith(".slnx")
            ? SlnxProject().Matches(text).Select(m => m.Groups[1].Value)
            : SlnProject().Matches(text).Select(m => m.Groups[1].Value);
        return paths.Select(p => p.Replace('\\', '/')).Where(p => Regex.IsMatch(p, @"\.(cs|fs|vb)proj$") && app.Exists(p)).Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"^Project\(""[^""]*""\)\s*=\s*""[^""]*""\s*,\s*""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex SlnProject();

    [GeneratedRegex(@"<Project\s+Path=""([^""]+)""")]
    private static partial Regex SlnxProject();
}
