using System.Text.Json;
using Slipway.Images.Pipeline;
using Slipway.Images.Tests.Support;
using Slipway.Oci.Publishing;
using Slipway.Testing;

namespace Slipway.Images.Tests.Pipeline;

public class UpstreamContextTests
{
    /// <summary>
    /// ghcr.io cannot be reached here, so a FAKE GHCR stands in: an OCI layout per repository, created by the
    /// destination factory from the route the pipeline resolved. Everything else (planning, routing from CI
    /// variables, skipping, report) is the real pipeline.
    /// </summary>
    [Fact]
    public async Task On_GitHub_Actions_public_images_go_to_ghcr_org_and_private_ones_are_skipped_with_the_reason_fake_ghcr()
    {
        using var repo = new TestRepo();
        repo.Write(".nuke/parameters.json", """{ "Org": "Acme" }""");
        repo.AddImage("api", "1.0.0");
        repo.AddImage("secret", "1.0.0", extraIni: "visibility=private\n");
        repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07Z"));
        using var fakeGhcr = new TempDir("fake-ghcr");
        var routes = new List<ImageRoute>();
        var options = new ImagePipelineOptions
        {
            Root = repo.Root,
            Methods = [new DirectoryImageMethod()],
            Environment = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF_NAME"] = "main" },
            Strict = false,
            DestinationFactory = route =>
            {
                lock (routes) routes.Add(route);
                return new OciLayoutDestination(fakeGhcr.Combine(route.Repository!.Name));
            },
        };
        await using var pipeline = new ImagePipeline(options);
        var plan = await pipeline.PlanAsync();
        Assert.Contains("ghcr.io/acme (context upstream from GITHUB_ACTIONS)", plan.DestinationSummary);

        var results = await pipeline.PushAsync();
        pipeline.ThrowIfFailed();
        Assert.Equal(ImageStatus.Pushed, results.Single(r => r.Image.Name == "api").Status);
        var secret = results.Single(r => r.Image.Name == "secret");
        Assert.Equal(ImageStatus.Skipped, secret.Status);
        Assert.Contains("private", secret.Reason);
        Assert.Equal(["ghcr.io/acme/api"], routes.Select(r => r.Repository!.Name).Distinct());
        Assert.StartsWith("sha256:", await Skopeo.DigestAsync($"oci:{fakeGhcr.Combine("ghcr.io/acme/api")}:latest"));

        using var report = JsonDocument.Parse(File.ReadAllBytes(pipeline.ReportPath));
        var entry = report.RootElement.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "secret");
        Assert.Equal("skipped", entry.GetProperty("status").GetString());
        Assert.Equal("ghcr.io/acme/secret", entry.GetProperty("destination").GetString());
        Assert.Contains("never pushed to the public upstream registry", entry.GetProperty("reason").GetString());
    }
}
