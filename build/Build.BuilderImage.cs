using Slipway.Build.Components;
using Slipway.Engine;

partial class Build
{
    AbsolutePath BuilderImageDist => BuildRepositoryDirectory / "containers/builder/dist";

    // containers/builder copies its binaries from dist/; the Dockerfile images build only after they are staged.
    Target IPublishImages.BuildDockerfileImages => _ => _.Inherit<IPublishImages>(x => x.BuildDockerfileImages).DependsOn(StageBuilderImage);

    /// <summary>
    /// The one way Slipway's binaries reach the builder image's build context: published (not copied from
    /// artifacts/bin, whose slipway-builder needs an installed runtime) into containers/builder/dist, which is
    /// git-ignored build output. The pipeline then builds containers/builder like any other Dockerfile image.
    /// The test tests/Slipway.Builder.Tests/BuilderImageTests.cs publishes with the same arguments.
    /// </summary>
    Target StageBuilderImage => _ => _
        .Description("Publishes the native slipway CLI and a self-contained slipway-builder into containers/builder/dist (the builder image's context)")
        .Executes(async ct =>
        {
            var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
            if (Directory.Exists(BuilderImageDist)) Directory.Delete(BuilderImageDist, recursive: true);
            // Native AOT (net9.0: see Compile); no fallback here, a ReadyToRun CLI would need a runtime in the image.
            await Dotnet(ct, "publish", BuildRepositoryDirectory / "src/Slipway.Cli/Slipway.Cli.csproj", "-c", "Release", "-f", "net9.0", "-r", rid,
                "-o", BuilderImageDist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
            // Self-contained: the .NET runtime (and ASP.NET Core's, for the worker's HTTP API) travel with it.
            await Dotnet(ct, "publish", BuildRepositoryDirectory / "src/Slipway.Builder.Cli/Slipway.Builder.Cli.csproj", "-c", "Release", "-r", rid,
                "--self-contained", "true", "-p:DebugType=none", "-o", BuilderImageDist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
            // Debug symbols stay out of the image (slipway.dbg alone is 15 MB).
            foreach (var f in Directory.EnumerateFiles(BuilderImageDist).Where(f => f.EndsWith(".dbg") || f.EndsWith(".pdb")).ToList()) File.Delete(f);
            var size = Directory.EnumerateFiles(BuilderImageDist, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            ReportSummary($"containers/builder/dist: {size / (1024 * 1024)} MiB");
        });
}
