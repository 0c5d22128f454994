using Slipway.Images.BaseImages;
using Slipway.Testing;

namespace Slipway.Images.Tests.BaseImages;

/// <summary>One base catalog: the standard bases are defined once and read by the pipeline (via standard:) and the source engine.</summary>
public sealed class StandardBasesTests
{
    private static string Describe(BaseImageDefinition b) =>
        $"{b.Name} {b.Kind} [{string.Join(",", b.Packages)}] [{string.Join(",", b.Replaces)}] {b.Node} {b.Npm} [{string.Join(",", b.Cmd)}] {b.Slim}";

    [Fact]
    public void The_repository_catalog_takes_its_shared_bases_from_the_standard_catalog()
    {
        var repo = BaseImageCatalog.Load(HostTools.RepoRoot);
        var standard = BaseImageCatalog.Standard(Path.Combine(HostTools.RepoRoot, "artifacts", "source-bases"));
        foreach (var name in new[] { "busybox", "debian", "node", "node-slim" })
            Assert.Equal(Describe(standard.Bases.Single(b => b.Name == name)), Describe(repo.Bases.Single(b => b.Name == name)));
        // The repository's own bases stay its own; the standard ones land in the repository's output directory.
        Assert.Contains(repo.Bases, b => b.Name == "builder-base");
        Assert.DoesNotContain(standard.Bases, b => b.Name == "builder-base");
        Assert.Equal(Path.Combine(HostTools.RepoRoot, "artifacts", "base-images", "node"), repo.LayoutPath(repo.Bases.Single(b => b.Name == "node")));
    }

    [Fact]
    public void Standard_node_is_the_official_binary_and_the_source_engines_debian_node_has_its_own_name()
    {
        var standard = BaseImageCatalog.Standard("/tmp/unused");
        var node = standard.Bases.Single(b => b.Name == "node");
        Assert.Equal(("18.20.8", "10.8.2"), (node.Node, node.Npm));
        Assert.Contains("node:18", node.Replaces);
        var debian = standard.Bases.Single(b => b.Name == "node-debian");
        Assert.Contains("nodejs", debian.Packages);
        Assert.Empty(debian.Replaces);
        Assert.Equal(BaseImageCatalog.StandardSource, standard.Source);
        Assert.Equal("/tmp/unused", standard.OutputDirectory);
    }

    [Fact]
    public void The_cross_bases_live_in_the_same_catalog_under_the_same_names()
    {
        var host = BaseImageCatalog.Standard("/tmp/unused");
        var cross = BaseImageCatalog.StandardCross("/tmp/unused/linux-arm64", "arm64");
        Assert.Equal("arm64", cross.Architecture);
        // Every cross base is a standard base name (the plan's build and runtime bases resolve on either platform).
        Assert.All(cross.Bases, b => Assert.Contains(host.Bases, h => h.Name == b.Name));
        Assert.Equal(("18.19.0", "9.2.0"), (cross.Bases.Single(b => b.Name == "node-debian").Node, cross.Bases.Single(b => b.Name == "node-debian").Npm));
        Assert.DoesNotContain(cross.Bases, b => b.Kind != BaseImageKind.Debootstrap);
    }

    [Theory]
    [InlineData("standard: [busybox, alpine]\n", "base-images.yml:1: 'alpine' is not a standard base. Standard bases are: busybox, debian, node")]
    [InlineData("standard: [busybox]\nbases:\n  busybox:\n    kind: busybox\n", "base 'busybox' is both defined here and taken from standard:")]
    [InlineData("standard: [debian]\nbases:\n  mine:\n    replaces: ['debian:12']\n", "'debian:12' is replaced by both 'debian' and 'mine'")]
    public void Bad_standard_lists_are_refused_in_one_line(string yaml, string expected)
    {
        using var dir = new TempDir("stdcat");
        var e = Assert.Throws<FormatException>(() => BaseImageCatalog.Parse(yaml, BaseImageCatalog.RelativePath, dir.Path));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
