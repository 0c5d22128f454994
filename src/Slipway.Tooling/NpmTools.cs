using System.Security.Cryptography;
using System.Text.Json;

namespace Slipway.Tooling;

/// <summary>
/// The npm tools the build and the tests run (GitHub's workflow parser, ajv, yaml, gitlab-ci-local,
/// kubernetes-models), pinned in one place: tools/npm/package.json and its package-lock.json, embedded here and
/// installed with <c>npm ci</c> (exact versions and integrity hashes from the lockfile) into a cache directory,
/// once per lockfile. The lockfile carries no <c>resolved</c> URLs, so npm fetches from whatever registry the
/// machine is configured for (<c>npm config get registry</c>) and the integrity hashes still hold.
/// </summary>
public static class NpmTools
{
    private const string PackageJson = "npm-tools/package.json";
    private const string LockJson = "npm-tools/package-lock.json";

    /// <summary>The pinned version of <paramref name="package"/> (as in tools/npm/package.json).</summary>
    public static string Version(string package)
    {
        using var doc = JsonDocument.Parse(Resource(PackageJson));
        return doc.RootElement.GetProperty("dependencies").TryGetProperty(package, out var v) ? v.GetString()!
            : throw new InvalidOperationException($"'{package}' is not pinned in tools/npm/package.json; add it there and run npm install --package-lock-only in tools/npm");
    }

    /// <summary><c>name@version</c> of a pinned package.</summary>
    public static string Spec(string package) => $"{package}@{Version(package)}";

    /// <summary>Where <paramref name="package"/> is installed under <paramref name="directory"/> (after <see cref="EnsureAsync"/>).</summary>
    public static string PackageDirectory(string directory, string package) => Path.Combine(directory, "node_modules", package);

    /// <summary>
    /// Installs the pinned tools into <paramref name="directory"/> unless this lockfile is installed there already.
    /// Installed beside, then moved into place under a file lock: a half-finished install is never taken for a cache.
    /// </summary>
    public static async Task<string> EnsureAsync(string directory, Action<string> log, CancellationToken ct)
    {
        directory = Path.GetFullPath(directory);
        var lockText = Resource(LockJson);
        var stamp = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Resource(PackageJson) + lockText)));
        var stampFile = Path.Combine(directory, "installed.sha256");
        if (IsInstalled()) return directory;
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        await using var held = await FileLock.TakeAsync(directory + ".lock", () => log($"waiting for another process installing the npm tools into {directory}"), ct);
        if (IsInstalled()) return directory;
        if (ToolRunner.Which("npm") is null)
            throw new InvalidOperationException("npm is not installed (the npm tools of tools/npm need it); install it with: apt-get install -y nodejs npm");
        log($"installing the npm tools pinned in tools/npm/package-lock.json into {directory} (once; npm ci)");
        var staging = directory + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        Directory.CreateDirectory(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), Resource(PackageJson), ct);
        await File.WriteAllTextAsync(Path.Combine(staging, "package-lock.json"), lockText, ct);
        var r = await ToolRunner.RunAsync(new ToolInvocation("npm", ["ci", "--prefix", staging, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
            { WorkingDirectory = staging, CaptureStandardOutput = true }, ct);
        if (!r.Succeeded)
        {
            Directory.Delete(staging, true);
            throw new InvalidOperationException($"'npm ci' of tools/npm failed in {staging}: {string.Join(" ", r.Tail).Trim()}; check that the npm registry is reachable (npm config get registry)");
        }
        await File.WriteAllTextAsync(Path.Combine(staging, "installed.sha256"), stamp, ct);
        if (Directory.Exists(directory)) Directory.Delete(directory, true);
        Directory.Move(staging, directory);
        return directory;

        bool IsInstalled() => File.Exists(stampFile) && File.ReadAllText(stampFile) == stamp;
    }

    private static string Resource(string name)
    {
        using var stream = typeof(NpmTools).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from Slipway.Tooling");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
