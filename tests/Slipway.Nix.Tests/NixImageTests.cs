using Slipway.Images.Methods;
using Slipway.Nix.Tests.Support;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.Nix.Tests;

/// <summary>One registry, one buildah storage and one layer cache for all real-nix tests; the nix store is the machine's.</summary>
public sealed class NixFixture : IAsyncLifetime
{
    public RegistryServer Registry { get; private set; } = null!;
    public Buildah Buildah { get; } = new();
    public TempDir Cache { get; } = new("nixcache");

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        Buildah.Dispose();
        Cache.Dispose();
    }
}

/// <summary>
/// Real nix-build (Debian nix-bin, sandbox off, no nixpkgs), real docker-registry, real buildah: each accepted
/// output kind is built from containers/&lt;kind&gt;/default.nix, pushed, run, rebuilt and re-pushed after a one-file change.
/// </summary>
public sealed class NixImageTests(NixFixture fixture, ITestOutputHelper output) : IClassFixture<NixFixture>
{
    [SkippableTheory]
    [InlineData("closure", "1.2.3")]
    [InlineData("n2c", "0.4.0")]
    [InlineData("archive", "2.0.0")]
    [InlineData("stream", "3.0.0")]
    public async Task Builds_pushes_runs_and_repushes_one_layer_after_a_one_file_change(string kind, string version)
    {
        HostTools.Path("/bin/busybox"); // the fixtures' common.nix copies it into the store
        using var repo = new TempDir("nixrepo");
        RepoPaths.CopyFixtureRepo(repo.Path);

        var (definition, first) = await BuildAsync(repo.Path, kind);
        Assert.Equal(version, definition.Version);
        Assert.Equal("-nix", definition.TagSuffix);
        Assert.All(first.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.Descriptor.MediaType));

        using var session = new RegistrySession(new RegistryClientOptions());
        var destination = new RegistryDestination(ImageReference.Parse($"{fixture.Registry.Host}/nix/{kind}"), session);
        var pushed = await destination.PublishAsync(first, [$"v{version}-nix"], default);
        Assert.Equal(first.Layers.Count + 1, pushed.BlobsUploaded);
        Assert.Equal(first.Digest.ToString(), await Skopeo.DigestAsync($"docker://{fixture.Registry.Host}/nix/{kind}:v{version}-nix"));

        var entrypoint = first.Manifest is not null ? ReadEntrypoint(first) : throw new InvalidOperationException();
        var ran = await fixture.Buildah.RunAsync($"{fixture.Registry.Host}/nix/{kind}@{first.Digest}", entrypoint);
        Assert.Equal("hello from nix v1", ran.Trim());

        // Deterministic: a second build of the same inputs is the same image.
        var (_, again) = await BuildAsync(repo.Path, kind);
        Assert.Equal(first.Digest, again.Digest);

        // One file changes: only the app's layer (and the config) go up again.
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "greeting.txt"), "hello from nix v2");
        var (_, second) = await BuildAsync(repo.Path, kind);
        Assert.NotEqual(first.Digest, second.Digest);
        var changed = second.Layers.Select(l => l.Descriptor.Digest).Except(first.Layers.Select(l => l.Descriptor.Digest)).ToList();
        Assert.Single(changed);
        using var session2 = new RegistrySession(new RegistryClientOptions());
        var repushed = await new RegistryDestination(ImageReference.Parse($"{fixture.Registry.Host}/nix/{kind}"), session2).PublishAsync(second, ["latest"], default);
        output.WriteLine($"{kind}: re-push uploaded {repushed.BlobsUploaded} blobs ({repushed.BytesUploaded} bytes), skipped {repushed.BlobsSkipped}");
        Assert.Equal(2, repushed.BlobsUploaded); // the changed layer + the new config
        Assert.Equal(second.Layers.Count - 1, repushed.BlobsSkipped);
        Assert.Equal("hello from nix v2", (await fixture.Buildah.RunAsync($"{fixture.Registry.Host}/nix/{kind}:latest", ReadEntrypoint(second))).Trim());
    }

    private async Task<(ImageDefinition, OciImage)> BuildAsync(string root, string name)
    {
        var method = new NixMethod(new NixMethodOptions { CacheDirectory = fixture.Cache.Path });
        var definition = (await method.DiscoverAsync(root, default)).Single(d => d.Name == name);
        Assert.Null(method.CheckToolchain(definition));
        var work = Directory.CreateTempSubdirectory("slipway-nix-test-").FullName;
        var context = new BuildContext
        {
            Root = root,
            WorkDirectory = work,
            Log = output.WriteLine,
        };
        var extra = await method.ExtraInputsAsync(definition, context, default);
        Assert.Matches(@"^nix\.drv=/nix/store/.*\.drv$", Assert.Single(extra));
        return (definition, await method.BuildAsync(definition, context, default));
    }

    private static IReadOnlyList<string> ReadEntrypoint(OciImage image)
    {
        using var s = image.Config.OpenReadAsync(default).GetAwaiter().GetResult();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var config = OciJson.Deserialize<ImageConfig>(ms.ToArray(), "config");
        return [.. config.Config?.Entrypoint ?? [], .. config.Config?.Cmd ?? []];
    }
}
