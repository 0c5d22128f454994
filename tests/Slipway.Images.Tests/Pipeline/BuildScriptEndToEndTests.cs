using System.Diagnostics;
using System.Text.Json;
using Slipway.Images.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Pipeline;

/// <summary>
/// The real thing, as a new user runs it: this repository's <c>./build.sh PushImages --root &lt;monorepo&gt;
/// --registry 127.0.0.1:PORT/ns</c> against a temporary monorepo with Dockerfile images, buildah as the engine,
/// a real docker-registry, and skopeo as the judge.
/// </summary>
public class BuildScriptEndToEndTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "build.sh")) && Directory.Exists(Path.Combine(d.FullName, "build"))) return d.FullName;
        throw new InvalidOperationException("build.sh not found above the test binaries");
    }

    private static Task<ToolResult> BuildAsync(params string[] args) =>
        ToolRunner.RunAsync(new ToolInvocation(Path.Combine(RepoRoot(), "build.sh"), args)
        {
            WorkingDirectory = RepoRoot(),
            CaptureStandardOutput = true,
            TailLines = 400,
            Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["CI"] = null, ["GITHUB_ACTIONS"] = null, ["GITLAB_CI"] = null },
        });

    [Fact]
    public async Task PushImages_builds_tags_pushes_fails_only_the_broken_image_and_reruns_as_a_no_op()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestRepo();
        // Two stages from scratch: COPY only, so no base image registry is needed.
        repo.Write("containers/hello/Dockerfile", """
            ARG CONTAINER_APP_VERSION=1.4.2
            FROM scratch AS build
            COPY greeting.txt /out/greeting.txt
            FROM scratch
            COPY --from=build /out/ /srv/
            """);
        repo.Write("containers/hello/greeting.txt", "hello\n");
        repo.Write("containers/broken/Dockerfile", "ARG CONTAINER_APP_VERSION=0.1.0\nFROM scratch\nCOPY does-not-exist.txt /x\n");
        var sha = repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07Z"));
        var target = $"{registry.Host}/ns";
        string[] Args(params string[] extra) => ["PushImages", "--root", repo.Root, "--registry", target, "--dockerfile-engine", "buildah", "--no-logo", .. extra];

        var first = await BuildAsync(Args());
        var output = first.StandardOutput + string.Join("\n", first.Tail);
        Assert.True(first.ExitCode == 1, output);
        Assert.Contains("[hello]", output);                       // live, prefixed build log
        Assert.Contains("containers/broken/Dockerfile", output);  // the failure names the image's file
        var hello = $"docker://{target}/hello";
        Assert.Equal(await Skopeo.DigestAsync($"{hello}:latest"), await Skopeo.DigestAsync($"{hello}:v1.4.2-{sha[..7]}"));
        using (var raw = await Skopeo.InspectAsync($"{hello}:latest", raw: true))
        {
            var a = raw.RootElement.GetProperty("annotations");
            Assert.Equal(sha, a.GetProperty("org.opencontainers.image.revision").GetString());
            Assert.Equal("2024-03-04T05:06:07Z", a.GetProperty("org.opencontainers.image.created").GetString());
            Assert.Equal("1.4.2", a.GetProperty("org.opencontainers.image.version").GetString());
        }
        var broken = await ToolRunner.RunAsync(new ToolInvocation("skopeo", ["list-tags", "--tls-verify=false", $"docker://{target}/broken"]));
        Assert.False(broken.Succeeded);
        var report = Report(repo);
        Assert.Equal("pushed", report["hello"].GetProperty("status").GetString());
        Assert.Equal("failed", report["broken"].GetProperty("status").GetString());

        // Fix the repo with a commit that does not touch hello: hello only gets its new tag, no blob moves.
        File.Delete(Path.Combine(repo.Root, "containers/broken/Dockerfile"));
        var second = repo.Commit("drop broken", DateTimeOffset.Parse("2024-03-05T05:06:07Z"));
        var clock = Stopwatch.StartNew();
        var rerun = await BuildAsync(Args());
        clock.Stop();
        Assert.True(rerun.ExitCode == 0, rerun.StandardOutput + string.Join("\n", rerun.Tail));
        report = Report(repo);
        Assert.Equal("up-to-date", report["hello"].GetProperty("status").GetString());
        Assert.False(report["hello"].TryGetProperty("blobsUploaded", out _));
        Assert.Equal(await Skopeo.DigestAsync($"{hello}:v1.4.2-{sha[..7]}"), await Skopeo.DigestAsync($"{hello}:v1.4.2-{second[..7]}"));
        Console.WriteLine($"no-op ./build.sh PushImages took {clock.Elapsed.TotalSeconds:0.00}s");
    }

    private static Dictionary<string, JsonElement> Report(TestRepo repo)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repo.Root, "artifacts", "images.json")));
        return doc.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.Clone());
    }
}
