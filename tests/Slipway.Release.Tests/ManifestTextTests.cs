using Slipway.Release.Listing;
using Slipway.Release.Manifests;
using Slipway.Testing;

namespace Slipway.Release.Tests;

public class ManifestTextTests
{
    private sealed class NoSource(string display) : ITagSource
    {
        public string Display => display;
        public Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);
        public Task<(Slipway.Oci.Model.Digest Digest, byte[] Bytes)?> GetManifestAsync(string reference, CancellationToken ct) => Task.FromResult<(Slipway.Oci.Model.Digest, byte[])?>(null);
        public Task<byte[]> GetBlobAsync(Slipway.Oci.Model.Descriptor descriptor, CancellationToken ct) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("host:5000/ns/api:v1.2.3-abc1234", "host:5000/ns/api", "v1.2.3-abc1234", null)]
    [InlineData("host:5000/ns/api", "host:5000/ns/api", null, null)]
    [InlineData("ghcr.io/acme/api:v1-abc1234-nix@sha256:00", "ghcr.io/acme/api", "v1-abc1234-nix", "sha256:00")]
    public void References_split_into_repository_tag_and_digest(string text, string repo, string? tag, string? digest) =>
        Assert.Equal((repo, tag, digest), ManifestScanner.Split(text));

    [Fact]
    public void A_reference_goes_to_the_variant_whose_suffix_the_tag_ends_with()
    {
        var source = new NoSource("r.example/ns/api");
        var plain = new ListedImage("api", "", source);
        var nix = new ListedImage("api-nix", "-nix", source);
        var text = "image: r.example/ns/api:v1.0.0-abc1234\n  - image: 'r.example/ns/api:v1.0.0-abc1234-nix'\nimage: r.example/ns/apix:v1\n";
        var refs = ManifestScanner.Scan("f.yaml", text, [plain, nix]);
        Assert.Equal(2, refs.Count);
        Assert.Same(plain, refs[0].Image);
        Assert.Same(nix, refs[1].Image);
        Assert.Equal(2, refs[1].Line);
        Assert.Equal("r.example/ns/api:v1.0.0-abc1234-nix", text.Substring(refs[1].Start, refs[1].Length));
        Assert.True(TagLister.BelongsTo("v1.0.0-abc1234-nix", nix, [plain, nix]));
        Assert.False(TagLister.BelongsTo("v1.0.0-abc1234-nix", plain, [plain, nix]));
    }

    [Fact]
    public void Globs_walk_only_below_their_literal_directory()
    {
        using var dir = new TempDir("globs");
        dir.Write("argocd/manifests/a/b/app.yaml", "");
        dir.Write("argocd/manifests/top.yaml", "");
        dir.Write("argocd/other.yaml", "");
        dir.Write("k8s/x.yml", "");
        Assert.Equal(["argocd/manifests/a/b/app.yaml", "argocd/manifests/top.yaml"], Glob.Files(dir.Path, Glob.DefaultPatterns.Split(',')));
    }

    [Fact]
    public void The_diff_is_unified_with_three_lines_of_context()
    {
        var old = "a\nb\nc\nd\nimage: x:1\ne\nf\ng\nh\n";
        var diff = UnifiedDiff.Create("f.yaml", old, old.Replace("x:1", "x:2"));
        Assert.Equal("--- a/f.yaml\n+++ b/f.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-image: x:1\n+image: x:2\n e\n f\n g\n", diff);
    }
}
