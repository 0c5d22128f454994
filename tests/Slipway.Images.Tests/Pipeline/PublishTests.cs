using System.Text.Json;
using Slipway.Images.Pipeline;
using Slipway.Images.Tests.Support;
using Slipway.Testing;

namespace Slipway.Images.Tests.Pipeline;

/// <summary>
/// End to end through the pipeline into a real docker-registry on loopback and the embedded OCI layout, with
/// skopeo as the judge of tags, digests and annotations.
/// </summary>
public class PublishTests
{
    private static readonly DateTimeOffset FirstCommit = DateTimeOffset.Parse("2024-03-04T05:06:07Z");

    [Fact]
    public async Task Pushes_by_digest_with_version_and_latest_tags_and_stamped_metadata()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestRepo();
        repo.AddImage("api", "1.2.3");
        repo.Git("remote", "add", "origin", "https://ci:s3cr3t-token@git.example.com/acme/mono.git");
        var sha = repo.Commit("init", FirstCommit);
        var sha7 = sha[..7];

        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/team");
        var result = (await pipeline.PushAsync()).Single();
        pipeline.ThrowIfFailed();
        Assert.Equal(ImageStatus.Pushed, result.Status);

        var repoRef = $"docker://{registry.Host}/team/api";
        var latest = await Skopeo.DigestAsync($"{repoRef}:latest");
        Assert.Equal(latest, await Skopeo.DigestAsync($"{repoRef}:v1.2.3-{sha7}"));
        Assert.Equal(result.Digest.ToString(), latest);

        using var raw = await Skopeo.InspectAsync($"{repoRef}:latest", raw: true);
        var annotations = raw.RootElement.GetProperty("annotations");
        Assert.Equal("https://git.example.com/acme/mono", annotations.GetProperty("org.opencontainers.image.source").GetString());
        Assert.Equal(sha, annotations.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.Equal("1.2.3", annotations.GetProperty("org.opencontainers.image.version").GetString());
        Assert.Equal("2024-03-04T05:06:07Z", annotations.GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal(result.InputHash.ToString(), annotations.GetProperty("dev.slipway.input-hash").GetString());

        using var config = await Skopeo.InspectAsync($"{repoRef}:latest", config: true);
        Assert.Equal("2024-03-04T05:06:07Z", config.RootElement.GetProperty("created").GetString());
        var labels = config.RootElement.GetProperty("config").GetProperty("Labels");
        Assert.Equal(sha, labels.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.Equal("directory", labels.GetProperty("from.method").GetString()); // the method's own labels stay
        Assert.DoesNotContain("s3cr3t", raw.RootElement.GetRawText() + config.RootElement.GetRawText());
    }

    [Fact]
    public async Task Second_run_uploads_no_blob_and_a_new_commit_with_same_inputs_only_adds_tags()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestRepo();
        repo.AddImage("api", "1.0.0");
        repo.AddImage("worker", "2.0.0", prepareScript: "mkdir -p out/opt && echo built > out/opt/artifact.txt && echo prepared\n");
        var first = repo.Commit("init", FirstCommit);
        var target = $"{registry.Host}/ns";

        var method = new DirectoryImageMethod();
        var t1 = new CountingTransport();
        await using (var run1 = Pipelines.Create(repo, method, registry: target, transport: t1))
        {
            var results = await run1.PushAsync();
            Assert.All(results, r => Assert.Equal(ImageStatus.Pushed, r.Status));
            Assert.Equal(5, results.Sum(r => r.Publish!.BlobsUploaded)); // 2 configs + 3 layers
        }
        Assert.Equal(2, method.Builds);

        // Same commit again: nothing is built, no blob request at all, every image "up-to-date".
        var t2 = new CountingTransport();
        await using (var run2 = Pipelines.Create(repo, method, registry: target, transport: t2))
        {
            var results = await run2.PushAsync();
            Assert.All(results, r => Assert.Equal(ImageStatus.UpToDate, r.Status));
            Assert.All(results, r => Assert.Empty(r.TagsAdded));
        }
        Assert.Equal(2, method.Builds);
        Assert.Equal(0, t2.BlobUploads);
        Assert.DoesNotContain(t2.Requests, r => r.Contains("/blobs/"));
        Assert.DoesNotContain(t2.Requests, r => r.StartsWith("PUT"));

        // A commit that touches nothing the images are made of: no build, no blob, only the new version tags.
        repo.Write("README.md", "docs only\n");
        var second = repo.Commit("docs", FirstCommit.AddDays(1));
        var t3 = new CountingTransport();
        await using (var run3 = Pipelines.Create(repo, method, registry: target, transport: t3))
        {
            var results = await run3.PushAsync();
            Assert.All(results, r => Assert.Equal(ImageStatus.UpToDate, r.Status));
            Assert.All(results, r => Assert.Single(r.TagsAdded));
        }
        Assert.Equal(2, method.Builds);
        Assert.Equal(0, t3.BlobUploads);
        Assert.Equal(await Skopeo.DigestAsync($"docker://{target}/worker:v2.0.0-{first[..7]}"), await Skopeo.DigestAsync($"docker://{target}/worker:v2.0.0-{second[..7]}"));

        // Changing one image's input rebuilds only that one.
        repo.Write("containers/api/rootfs/etc/api.conf", "name=api\nchanged=yes\n");
        var third = repo.Commit("change api", FirstCommit.AddDays(2));
        await using (var run4 = Pipelines.Create(repo, method, registry: target))
        {
            var results = await run4.PushAsync();
            Assert.Equal(ImageStatus.Pushed, results.Single(r => r.Image.Name == "api").Status);
            Assert.Equal(ImageStatus.UpToDate, results.Single(r => r.Image.Name == "worker").Status);
        }
        Assert.Equal(3, method.Builds);
        Assert.Equal(await Skopeo.DigestAsync($"docker://{target}/api:latest"), await Skopeo.DigestAsync($"docker://{target}/api:v1.0.0-{third[..7]}"));
    }

    [Fact]
    public async Task Branch_build_gets_no_latest()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestRepo(branch: "feature/login");
        repo.AddImage("api", "1.0.0");
        var sha = repo.Commit("init", FirstCommit);
        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/ns");
        var result = (await pipeline.PushAsync()).Single();
        Assert.Equal(ImageStatus.Pushed, result.Status);
        Assert.Equal([$"v1.0.0-{sha[..7]}"], await Skopeo.TagsAsync($"docker://{registry.Host}/ns/api"));
    }

    [Fact]
    public async Task Broken_image_fails_the_run_pushes_nothing_for_it_and_the_others_go_through()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestRepo();
        repo.AddImage("api", "1.0.0");
        repo.AddImage("broken", "1.0.0", prepareScript: "for i in $(seq 1 80); do echo \"step $i\"; done\necho 'error: compiler exploded' >&2\nexit 3\n");
        repo.AddImage("worker", "1.0.0");
        repo.Commit("init", FirstCommit);
        var log = new List<string>();
        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/ns", log: log);
        var results = await pipeline.PushAsync();

        var broken = results.Single(r => r.Image.Name == "broken");
        Assert.Equal(ImageStatus.Failed, broken.Status);
        Assert.Contains("image 'broken' (containers/broken/image.ini) failed", broken.Reason);
        Assert.Equal(50, broken.LogTail.Count);
        Assert.Contains("error: compiler exploded", broken.LogTail); // stderr, last
        Assert.DoesNotContain("step 30", broken.LogTail);
        Assert.Contains("step 80", broken.LogTail);
        Assert.Contains(log, l => l.StartsWith("Info: [broken] step 1", StringComparison.Ordinal)); // streamed live with its prefix
        Assert.Equal(ImageStatus.Pushed, results.Single(r => r.Image.Name == "api").Status);
        Assert.Equal(ImageStatus.Pushed, results.Single(r => r.Image.Name == "worker").Status);
        var e = Assert.Throws<ImagePipelineException>(pipeline.ThrowIfFailed);
        Assert.Contains("containers/broken/image.ini", e.Message);

        var skopeo = await Slipway.Tooling.ToolRunner.RunAsync(new Slipway.Tooling.ToolInvocation("skopeo", ["list-tags", "--tls-verify=false", $"docker://{registry.Host}/ns/broken"]));
        Assert.False(skopeo.Succeeded); // the repository does not exist at all

        // The report is written even though an image failed.
        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repo.Root, "artifacts", "images.json")));
        var images = report.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal("failed", images["broken"].GetProperty("status").GetString());
        Assert.Contains("compiler exploded", string.Join("\n", broken.LogTail));
        Assert.Equal("pushed", images["api"].GetProperty("status").GetString());
        Assert.Equal($"{registry.Host}/ns/api", images["api"].GetProperty("destination").GetString());
        Assert.Equal("directory", images["api"].GetProperty("method").GetString());
        Assert.Equal("containers/api/image.ini", images["api"].GetProperty("definition").GetString());
        Assert.StartsWith("sha256:", images["api"].GetProperty("digest").GetString());
        Assert.Equal(2, images["api"].GetProperty("tags").GetArrayLength());
        Assert.True(images["api"].GetProperty("durationSeconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task Embedded_default_is_an_oci_layout_skopeo_reads_and_reruns_are_up_to_date()
    {
        using var repo = new TestRepo();
        repo.AddImage("api", "1.0.0", prepareScript: "mkdir -p out/bin && printf '#!/bin/sh\\necho hi\\n' > out/bin/hi && chmod +x out/bin/hi\n");
        var sha = repo.Commit("init", FirstCommit);
        await using (var pipeline = Pipelines.Create(repo, new DirectoryImageMethod()))
        {
            var result = (await pipeline.PushAsync()).Single();
            Assert.Equal(ImageStatus.Pushed, result.Status);
            Assert.Equal("oci:artifacts/images/api", result.Image.Route.Display);
        }
        var layout = Path.Combine(repo.Root, "artifacts", "images", "api");
        Assert.Equal(await Skopeo.DigestAsync($"oci:{layout}:latest"), await Skopeo.DigestAsync($"oci:{layout}:v1.0.0-{sha[..7]}"));
        using var raw = await Skopeo.InspectAsync($"oci:{layout}:latest", raw: true);
        Assert.Equal(2, raw.RootElement.GetProperty("layers").GetArrayLength());

        var method = new DirectoryImageMethod();
        await using var again = Pipelines.Create(repo, method);
        Assert.Equal(ImageStatus.UpToDate, (await again.PushAsync()).Single().Status);
        Assert.Equal(0, method.Builds);
    }
}
