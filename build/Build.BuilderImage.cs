using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Slipway.Build.Components;
using Slipway.Engine;

partial class Build
{
    AbsolutePath BuilderImageDist => BuildRepositoryDirectory / "containers/builder/dist";

    /// <summary>What the last staging was made from (git-ignored like dist/ itself, and outside the image's context).</summary>
    AbsolutePath BuilderImageStamp => BuildRepositoryDirectory / ".nuke/temp/builder-image-dist.inputs";

    static readonly string[] BuilderImageProjects = ["src/Slipway.Cli/Slipway.Cli.csproj", "src/Slipway.Builder.Cli/Slipway.Builder.Cli.csproj"];

    // containers/builder copies its binaries from dist/; the Dockerfile images build only after they are staged.
    Target IPublishImages.BuildDockerfileImages => _ => _.Inherit<IPublishImages>(x => x.BuildDockerfileImages).DependsOn(StageBuilderImage);

    Task<string>? staging;

    /// <summary>
    /// Started by BaseImages (Build.cs) so the two publishes run beside the bases' debootstrap and downloads on a
    /// first run; StageBuilderImage then only waits for it. Started once per run, whoever asks first.
    /// </summary>
    /// <returns>The summary note, which StageBuilderImage reports (a note made here would land on whichever target runs).</returns>
    Task<string> StageBuilderBinariesAsync(CancellationToken ct) => staging ??= StageAsync(ct);

    /// <summary>Only a build of this repository has containers/builder; --root of another monorepo never needs it.</summary>
    bool BuildsThisRepository => string.Equals(Path.TrimEndingDirectorySeparator(RootDirectory.Path),
        Path.TrimEndingDirectorySeparator(BuildRepositoryDirectory.Path), StringComparison.Ordinal);

    /// <summary>
    /// The one way Slipway's binaries reach the builder image's build context: published (not copied from
    /// artifacts/bin, whose slipway-builder needs an installed runtime) into containers/builder/dist, which is
    /// git-ignored build output. The pipeline then builds containers/builder like any other Dockerfile image.
    /// Incremental: when the sources of the two projects and everything they reference are what the last staging
    /// was made from (and dist/ still holds what it wrote), nothing is published again, so the image's input hash
    /// stays the same and a no-op PushImages stays a no-op.
    /// The test tests/Slipway.Builder.Tests/BuilderImageTests.cs publishes with the same arguments.
    /// </summary>
    Target StageBuilderImage => _ => _
        .Description("Publishes the slipway CLI and slipway-builder, self-contained with one shared runtime, into containers/builder/dist (the builder image's context), unless their sources are unchanged")
        .OnlyWhenDynamic(() => BuildsThisRepository)
        // After BaseImages, which starts this work in the background (Build.cs): here it is only awaited.
        .After<IPublishImages>(x => x.BaseImages)
        .Executes(async ct => ReportSummary(await StageBuilderBinariesAsync(ct)));

    async Task<string> StageAsync(CancellationToken ct)
    {
        await Task.Yield();
        if (!BuildsThisRepository) return "not this repository";
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var inputs = BuilderImageInputsHash(rid);
        if (File.Exists(BuilderImageStamp) && File.ReadAllText(BuilderImageStamp) == inputs + DistListing())
            return $"up to date (inputs {inputs[..12]})";
        if (File.Exists(BuilderImageStamp)) File.Delete(BuilderImageStamp);
        if (Directory.Exists(BuilderImageDist)) Directory.Delete(BuilderImageDist, recursive: true);
        // Both self-contained into one directory, where they share one .NET runtime (and ASP.NET Core's, for the
        // worker's HTTP API): no runtime install in the image. The CLI is not Native AOT here, unlike Compile's:
        // slipway-builder carries the runtime anyway, and the AOT compile was a minute of a first run's two cores.
        // One after the other: the two restores would write the shared libraries' obj/project.assets.json at once.
        await Dotnet(ct, "publish", BuildRepositoryDirectory / BuilderImageProjects[0], "-c", "Release", "-f", "net10.0", "-r", rid,
            "--self-contained", "true", "-p:DebugType=none", "-o", BuilderImageDist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
        await Dotnet(ct, "publish", BuildRepositoryDirectory / BuilderImageProjects[1], "-c", "Release", "-r", rid,
            "--self-contained", "true", "-p:DebugType=none", "-o", BuilderImageDist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
        // Debug symbols stay out of the image (slipway.dbg alone is 15 MB).
        foreach (var f in Directory.EnumerateFiles(BuilderImageDist).Where(f => f.EndsWith(".dbg") || f.EndsWith(".pdb")).ToList()) File.Delete(f);
        Directory.CreateDirectory(Path.GetDirectoryName(BuilderImageStamp)!);
        File.WriteAllText(BuilderImageStamp, inputs + DistListing());
        var size = Directory.EnumerateFiles(BuilderImageDist, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return $"containers/builder/dist: {size / (1024 * 1024)} MiB";
    }

    /// <summary>
    /// SHA-256 over every file of the two projects and the projects they reference (transitively; bin/ and obj/
    /// excluded), the repository-wide MSBuild and SDK files, the runtime identifier and this build's runtime.
    /// </summary>
    string BuilderImageInputsHash(string rid)
    {
        var projects = new SortedSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(BuilderImageProjects.Select(p => Path.GetFullPath(BuildRepositoryDirectory / p)));
        while (queue.TryDequeue(out var project))
        {
            if (!projects.Add(project)) continue;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
                if (reference.Attribute("Include")?.Value is { } include)
                    queue.Enqueue(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', '/'))));
        }
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dir in projects.Select(p => Path.GetDirectoryName(p)!))
            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(dir, f);
                if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal)) continue;
                files.Add(f);
            }
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config" })
            if (File.Exists(BuildRepositoryDirectory / name)) files.Add(BuildRepositoryDirectory / name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"stage-v3\n{rid}\n{Environment.Version}\n"));
        foreach (var f in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(BuildRepositoryDirectory, f) + "\0"));
            hash.AppendData(File.ReadAllBytes(f));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset()) + "\n";
    }

    /// <summary>What dist/ holds (name and size of each file): a dist/ emptied or edited by hand is staged again.</summary>
    string DistListing() => !Directory.Exists(BuilderImageDist) ? "" : string.Concat(
        Directory.EnumerateFiles(BuilderImageDist, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(BuilderImageDist, f)} {new FileInfo(f).Length}\n").Order(StringComparer.Ordinal));
}
