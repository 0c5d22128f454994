using Slipway.Build.Components;
using Slipway.Engine;
using Slipway.Engine.Ci;
using Slipway.Tooling;

[GitHubActions("ci", OnPushBranches = ["main"], OnPullRequestBranches = ["main"], InvokedTargets = ["Test"], TimeoutMinutes = 60)]
partial class Build : SlipwayBuild, IPublishImages, IReleaseImages
{
    public static int Main() => Execute<Build>(x => x.Compile);

    // The image targets come from the IPublishImages component and the release targets (ListImages, UpdateManifests,
    // CheckManifests, --ref) from IReleaseImages (src/Slipway.Build.Components); in this repository
    // the ones that need Debian packages (debootstrap, nix) first run Setup. The builder image's binaries are
    // published while the bases build (Build.BuilderImage.cs): a first run waits for the longer of the two, not both.
    Target IPublishImages.BaseImages => _ => _
        .Executes(() => { if (ScheduledTargets.Contains(nameof(StageBuilderImage))) StageBuilderBinariesAsync(CancellationToken); })
        .Inherit<IPublishImages>(x => x.BaseImages).DependsOn(Setup);
    Target IPublishImages.BuildNixImages => _ => _.Inherit<IPublishImages>(x => x.BuildNixImages).DependsOn(Setup);

    [Parameter("Configuration to build: Debug or Release")]
    readonly Configuration Configuration = IsLocalBuild ? Configuration.Debug : Configuration.Release;

    AbsolutePath ArtifactsDirectory => BuildRepositoryDirectory / "artifacts";
    AbsolutePath Solution => BuildRepositoryDirectory / "Slipway.slnx";

    Target Clean => _ => _
        .Description("Removes artifacts/ and every bin/ and obj/ under src/, tests/ and bench/")
        .Before(Compile)
        .Executes(() =>
        {
            foreach (var dir in new[] { "src", "tests", "bench" }.Select(d => Path.Combine(BuildRepositoryDirectory, d)).Where(Directory.Exists))
                foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Where(d => Path.GetFileName(d) is "bin" or "obj").ToList())
                    if (Directory.Exists(sub)) Directory.Delete(sub, recursive: true);
            if (Directory.Exists(ArtifactsDirectory)) Directory.Delete(ArtifactsDirectory, recursive: true);
        });

    Target Compile => _ => _
        .Description("Builds the solution and publishes the slipway CLI into artifacts/bin/slipway")
        .Executes(async ct =>
        {
            await Dotnet(ct, "build", Solution, "-c", Configuration.ToString(), "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
            var cli = BuildRepositoryDirectory / "src/Slipway.Cli/Slipway.Cli.csproj";
            if (!File.Exists(cli)) { ReportSummary("no src/Slipway.Cli yet: solution only"); return; }
            // Native code first: a no-op `slipway copy` is a few registry round trips, so process start-up is most
            // of what a user waits for (~6 ms native against ~100 ms for the JIT runtime and its HTTP stack).
            // Native AOT needs the ILCompiler package of the net9.0 target (the NuGet copy here lacks .NET 10's
            // NativeAOT runtime pack) and a C linker; without them, ReadyToRun on this machine's runtime.
            var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
            var bin = ArtifactsDirectory / "bin";
            if (Directory.Exists(bin)) Directory.Delete(bin, recursive: true);
            string kind;
            try
            {
                await Dotnet(ct, "publish", cli, "-c", "Release", "-f", "net9.0", "-r", rid, "-o", bin, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
                kind = "native (AOT)";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Warn($"native slipway CLI not built ({e.Message.Split('\n')[0]}); publishing ReadyToRun instead");
                if (Directory.Exists(bin)) Directory.Delete(bin, recursive: true);
                // TargetFrameworks narrowed too: restore would otherwise ask for a net9.0 Crossgen2 pack as well.
                await Dotnet(ct, "publish", cli, "-c", "Release", "-f", "net10.0", "-p:TargetFrameworks=net10.0", "-r", rid,
                    "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", bin, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
                kind = "ReadyToRun";
            }
            // The companion for detect/build-source/builder: JIT-hosted (MSBuild, RabbitMQ, Npgsql, KubernetesClient).
            var companion = BuildRepositoryDirectory / "src/Slipway.Builder.Cli/Slipway.Builder.Cli.csproj";
            await Dotnet(ct, "publish", companion, "-c", "Release", "-r", rid, "--self-contained", "false", "-o", bin,
                "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
            var slipway = ArtifactsDirectory / "bin/slipway";
            if (!File.Exists(slipway))
                throw new InvalidOperationException($"publishing src/Slipway.Cli did not produce {slipway}; its project must set <AssemblyName>slipway</AssemblyName> and UseAppHost");
            ReportSummary($"artifacts/bin/slipway, {kind}");
        });

    static async Task Dotnet(CancellationToken ct, params string[] args) =>
        await ToolRunner.RunCheckedAsync(new ToolInvocation("dotnet", args) { OnLine = Log.Info }, ct);
}

enum Configuration { Debug, Release }
