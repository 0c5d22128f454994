using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Engine.Tests;

/// <summary>
/// A second, minimal build (Fixtures/images-build) whose Build class only lists the IPublishImages component:
/// compiled through its own ./build.sh in a temporary repository, it lists, builds (buildah) and publishes an
/// image of that repository with the component's targets and parameters. skopeo judges the published image.
/// </summary>
public class ComponentBuildTests : IClassFixture<ComponentBuildTests.ImagesRepo>
{
    public sealed class ImagesRepo : IDisposable
    {
        public TempDir Dir { get; } = new("component-build");

        public ImagesRepo()
        {
            var root = GenerationTests.FindRepoRoot();
            EndToEndTests.FixtureRepo.CopyRootFiles(root, Dir.Path);
            foreach (var project in new[] { "Slipway.Engine", "Slipway.Tooling", "Slipway.Oci", "Slipway.Images", "Slipway.Nix", "Slipway.Bazel", "Slipway.Source", "Slipway.Release", "Slipway.Build.Components" })
                EndToEndTests.FixtureRepo.CopyDirectory(Path.Combine(root, "src", project), Dir.Combine("src", project));
            EndToEndTests.FixtureRepo.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "images-build"), Dir.Combine("build"));
            // The repository's one image, and a component parameter set the way a repository sets its defaults.
            Dir.Write("containers/hello/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
            Dir.Write("containers/hello/hello.txt", "hello from a component build\n");
            Dir.Write(".nuke/parameters.json", "{ \"DockerfileEngine\": \"buildah\" }");
        }

        public Task<ToolResult> RunAsync(params string[] args) =>
            ToolRunner.RunAsync(new ToolInvocation(Dir.Combine("build.sh"), args)
            {
                WorkingDirectory = Dir.Path, CaptureStandardOutput = true, TailLines = 200,
                Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["CI"] = null, ["GITHUB_ACTIONS"] = null, ["GITLAB_CI"] = null },
            });

        public void Dispose() => Dir.Dispose();
    }

    private readonly ImagesRepo _repo;
    public ComponentBuildTests(ImagesRepo repo) => _repo = repo;

    [Fact]
    public async Task A_build_that_only_lists_IPublishImages_gets_its_targets_and_parameters_and_publishes()
    {
        var help = await _repo.RunAsync("--help");
        Assert.True(help.ExitCode == 0, string.Join("\n", help.Tail));
        Assert.Contains("Images (default)", help.StandardOutput);
        Assert.Matches(@"\n  PushImages\s+Publishes every built image", help.StandardOutput);
        Assert.Matches(@"--dockerfile-engine\s+Dockerfile engine[^\n]*\n\s*= Buildah  \[from \.nuke/parameters\.json\]", help.StandardOutput);
        Assert.Matches(@"--jobs\s+Blob transfers[^\n]*\n\s*= 4  \[from default\]", help.StandardOutput);

        var list = await _repo.RunAsync("--no-logo");
        Assert.True(list.ExitCode == 0, list.StandardOutput);
        Assert.Matches(@"hello\s+dockerfile\s+0\.0\.0", list.StandardOutput);

        var layout = _repo.Dir.Combine("published");
        var push = await _repo.RunAsync("PushImages", "--registry", $"oci:{layout}");
        Assert.True(push.ExitCode == 0, push.StandardOutput);
        Assert.Matches(@"BuildDockerfileImages\s+Succeeded[^\n]*hello: built", push.StandardOutput);
        Assert.Matches(@"PushImages\s+Succeeded[^\n]*hello: pushed", push.StandardOutput);
        var inspect = await ToolRunner.RunAsync(new ToolInvocation("skopeo", ["inspect", $"oci:{Path.Combine(layout, "hello")}:v0.0.0-0000000"]) { CaptureStandardOutput = true });
        Assert.True(inspect.ExitCode == 0, string.Join("\n", inspect.Tail));
        Assert.Contains("\"Layers\"", inspect.StandardOutput);
    }
}
