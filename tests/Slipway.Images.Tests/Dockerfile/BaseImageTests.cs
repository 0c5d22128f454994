using System.Diagnostics;
using Slipway.Images.BaseImages;
using Slipway.Oci.Layout;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Images.Tests.Dockerfile;

public sealed class BaseImageTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset SourceDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static BaseImageCatalog Catalog(TempDir dir, string yaml) =>
        BaseImageCatalog.Parse(yaml, BaseImageCatalog.RelativePath, dir.Path) with { OutputDirectory = dir.Combine("bases") };

    [Fact]
    public async Task Busybox_base_built_twice_has_the_same_digest_and_is_readable_by_skopeo()
    {
        using var dir = new TempDir("bbbase");
        var catalog = Catalog(dir, "bases:\n  busybox:\n    kind: busybox\n    replaces: [busybox]\n");
        var builder = new BaseImageBuilder(catalog);
        var options = new BaseImageBuildOptions { SourceDate = SourceDate, Log = output.WriteLine };
        var sw = Stopwatch.StartNew();
        var first = await builder.BuildAsync(catalog.Bases[0], options, default);
        output.WriteLine($"first build {sw.Elapsed.TotalSeconds:F1} s");
        var skipped = await builder.BuildAsync(catalog.Bases[0], options, default);
        Assert.True(skipped.UpToDate);
        var second = await builder.BuildAsync(catalog.Bases[0], options with { Force = true }, default);
        Assert.False(second.UpToDate);
        Assert.Equal(first.Digest, second.Digest);

        Assert.Equal($"sha256:{first.Digest.Hex}", await Skopeo.DigestAsync($"oci:{first.LayoutPath}:latest"));
        var image = OciLayout.Open(first.LayoutPath).ReadImage("latest");
        Assert.Single(image.Layers);

        var map = catalog.ToBaseImageMap();
        Assert.Equal($"oci:{first.LayoutPath}:latest", map["busybox"]);
    }

    [Fact]
    public void Catalog_errors_name_file_line_and_valid_keys()
    {
        using var dir = new TempDir("bbcat");
        var e = Assert.Throws<FormatException>(() => Catalog(dir, "bases:\n  x:\n    kind: debootstrap\n    pakages: [a]\n"));
        Assert.Contains("containers/base-images.yml:4", e.Message);
        Assert.Contains("valid keys are: kind, packages", e.Message);
        e = Assert.Throws<FormatException>(() => Catalog(dir, "bases:\n  x:\n    kind: alpine\n"));
        Assert.Contains("valid kinds are: debootstrap, busybox, closure", e.Message);
        e = Assert.Throws<FormatException>(() => Catalog(dir, "bases:\n  a:\n    replaces: [debian]\n  b:\n    replaces: ['debian:latest']\n"));
        Assert.Contains("replaced by both 'a' and 'b'", e.Message);
    }

    [Theory]
    [InlineData("debian", "docker.io/library/debian:latest")]
    [InlineData("debian:bookworm-slim", "docker.io/library/debian:bookworm-slim")]
    [InlineData("docker.io/library/node:18", "docker.io/library/node:18")]
    [InlineData("team/tool:1", "docker.io/team/tool:1")]
    [InlineData("ghcr.io/org/x", "ghcr.io/org/x:latest")]
    [InlineData("localhost:5000/x:1", "localhost:5000/x:1")]
    public void Normalizes_references_as_docker_does(string reference, string expected) =>
        Assert.Equal(expected, BaseImageResolver.Normalize(reference));

    [Fact]
    public void Resolves_mapped_bases_including_pinned_digests()
    {
        var map = new Dictionary<string, string> { ["debian:bookworm-slim"] = "oci:/x/debian:latest" };
        var m = BaseImageResolver.Resolve("docker.io/library/debian:bookworm-slim@sha256:" + new string('a', 64), map);
        Assert.NotNull(m);
        Assert.Equal("docker.io/library/debian:bookworm-slim", m.EngineName);
        Assert.Equal("/x/debian", m.LayoutDirectory);
        Assert.Equal("latest", m.LayoutRef);
        Assert.Null(BaseImageResolver.Resolve("debian:bookworm", map));
        // The OCI core's one colon rule (skopeo's): oci:a:b:c is directory a, ref b:c, as in `slipway copy`.
        var odd = new MappedBase("x", "x", "oci:/x/a:b:c");
        Assert.Equal(("/x/a", "b:c"), (odd.LayoutDirectory, odd.LayoutRef));
    }

    /// <summary>What a base adds on the shared minbase: new, changed and re-owned entries with their parents, whiteouts for removals; untouched files stay below.</summary>
    [Fact]
    public async Task Layer_on_the_minbase_holds_only_what_apt_changed_and_whiteouts_for_what_it_removed()
    {
        using var dir = new TempDir("rootfsdiff");
        var lower = dir.Combine("lower");
        dir.Write("lower/etc/keep.conf", "same");
        dir.Write("lower/etc/touched.conf", "same bytes, new time");
        dir.Write("lower/etc/changed.conf", "old");
        dir.Write("lower/usr/share/doc/gone/copyright", "x");
        dir.Write("lower/var/lib/dpkg/status", "a");
        dir.Write("lower/usr/bin/tool", "t");
        File.SetUnixFileMode(dir.Combine("lower/usr/bin/tool"), (UnixFileMode)0b111_101_101);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("cp", ["-a", lower, dir.Combine("upper")]));
        dir.Write("upper/etc/changed.conf", "new");
        File.SetLastWriteTimeUtc(dir.Combine("upper/etc/touched.conf"), DateTime.UtcNow.AddDays(1));
        Directory.Delete(dir.Combine("upper/usr/share/doc/gone"), recursive: true);
        dir.Write("upper/usr/lib/node/new.js", "n");
        dir.Write("upper/var/lib/dpkg/status", "ab");
        File.SetUnixFileMode(dir.Combine("upper/usr/bin/tool"), (UnixFileMode)0b111_000_000);

        var empty = dir.Write("empty", "");
        var entries = RootfsDiff.Entries(RootfsDiff.Read(lower, new Dictionary<string, (int, int)>()),
            RootfsDiff.Read(dir.Combine("upper"), new Dictionary<string, (int, int)> { ["var/lib/dpkg/status"] = (0, 42) }), empty);
        var byPath = entries.ToDictionary(e => e.Path);
        Assert.Equal(
            ["etc", "etc/changed.conf", "usr", "usr/bin", "usr/bin/tool", "usr/lib", "usr/lib/node", "usr/lib/node/new.js",
             "usr/share", "usr/share/doc", "usr/share/doc/.wh.gone", "var", "var/lib", "var/lib/dpkg", "var/lib/dpkg/status"],
            byPath.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0b111_000_000, byPath["usr/bin/tool"].Mode);
        Assert.Equal(42, byPath["var/lib/dpkg/status"].Gid);
        Assert.Equal(empty, byPath["usr/share/doc/.wh.gone"].SourcePath);
    }

    [Fact]
    public void Cleaning_drops_the_build_time_dpkg_setting_so_no_image_ships_it()
    {
        // debootstrap and apt-get run with dpkg's force-unsafe-io (no fsync per file); the layer must not keep it.
        using var dir = new TempDir("clean");
        dir.Write("rootfs/etc/dpkg/dpkg.cfg.d/slipway-unsafe-io", "force-unsafe-io\n");
        dir.Write("rootfs/etc/dpkg/dpkg.cfg.d/excludes", "path-exclude=/usr/share/doc/*\n");
        BaseImageBuilder.Clean(dir.Combine("rootfs"), slim: true);
        Assert.False(File.Exists(dir.Combine("rootfs/etc/dpkg/dpkg.cfg.d/slipway-unsafe-io")));
        Assert.True(File.Exists(dir.Combine("rootfs/etc/dpkg/dpkg.cfg.d/excludes")));
    }
}
