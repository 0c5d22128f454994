using Slipway.Images.Discovery;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Images.Pipeline;
using Slipway.Testing;

namespace Slipway.Release.Tests;

/// <summary>
/// The situation the release flow is for, built once for the tests of a class: a monorepo whose main has two
/// commits (the first never built), a branch with two commits built and pushed from the branch, then
/// squash-merged into main (so the branch build's commit is on no main history) and built from main. Images are
/// real: buildah builds a busybox image from scratch, pushed into a real docker-registry.
/// </summary>
public sealed class ReleaseScenario : IAsyncLifetime
{
    public RegistryServer Registry { get; private set; } = null!;
    public TestMonorepo Repo { get; } = new();
    public string Namespace => $"{Registry.Host}/team";
    public string HelloRepository => $"{Namespace}/hello";

    /// <summary>Main's first commit, never built.</summary>
    public string OldMain { get; private set; } = "";
    /// <summary>Main's second commit, built from main.</summary>
    public string Main1 { get; private set; } = "";
    /// <summary>The branch's last commit, built from the branch; not on main after the squash merge.</summary>
    public string Branch2 { get; private set; } = "";
    /// <summary>The squash merge on main, built from main: the newest main-built image.</summary>
    public string Squash { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync();
        Repo.AddImage("hello", "1.0.0", "zero");
        OldMain = Repo.Commit("hello 1.0.0", DateTimeOffset.Parse("2024-01-01T10:00:00Z"));
        Repo.Write("containers/hello/message.txt", "one\n");
        Main1 = Repo.Commit("hello says one", DateTimeOffset.Parse("2024-02-01T10:00:00Z"));
        await PushAsync(Repo.Root);

        Repo.Git("checkout", "-q", "-b", "feature");
        Repo.Write("containers/hello/message.txt", "two (draft)\n");
        Repo.Commit("hello says two, draft", DateTimeOffset.Parse("2024-03-01T10:00:00Z"));
        Repo.Write("containers/hello/message.txt", "two\n");
        Branch2 = Repo.Commit("hello says two", DateTimeOffset.Parse("2024-03-02T10:00:00Z"));
        await PushAsync(Repo.Root);

        Repo.Git("checkout", "-q", "main");
        Repo.GitAt(DateTimeOffset.Parse("2024-03-03T10:00:00Z"), "merge", "--squash", "feature");
        Squash = Repo.Commit("hello says two (#1)", DateTimeOffset.Parse("2024-03-03T10:00:00Z"));
        Repo.Git("branch", "-D", "feature");
        await PushAsync(Repo.Root);
    }

    public ImagePipeline Pipeline(string root, GitInfo? git = null, List<string>? log = null) => new(new ImagePipelineOptions
    {
        Root = root,
        Methods = [new DockerfileMethod(new DockerfileMethodOptions { Engine = "buildah" })],
        Registry = Namespace,
        Git = git,
        Strict = true,
        Environment = new Dictionary<string, string?>(),
        ReportPath = Path.Combine(Path.GetTempPath(), $"release-report-{Guid.NewGuid():N}.json"),
        Log = (level, line) => { if (log is not null) lock (log) log.Add($"{level}: {line}"); },
    });

    public async Task PushAsync(string root, GitInfo? git = null)
    {
        var log = new List<string>();
        await using var pipeline = Pipeline(root, git, log);
        await pipeline.PushAsync();
        if (pipeline.Failures.Count > 0) throw new InvalidOperationException(string.Join("\n", log));
        File.Delete(pipeline.ReportPath);
    }

    public async Task<ImagePlan> PlanAsync(string? root = null)
    {
        await using var pipeline = Pipeline(root ?? Repo.Root);
        return await pipeline.PlanAsync();
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        Repo.Dispose();
    }
}
