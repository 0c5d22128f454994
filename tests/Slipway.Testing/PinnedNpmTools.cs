using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// The npm tools pinned in tools/npm (package.json + package-lock.json), installed with npm ci once per lockfile
/// into the repository's .nuke/temp/npm-tools, the same directory CheckWorkflows uses.
/// </summary>
public static class PinnedNpmTools
{
    public static string Directory => System.IO.Path.Combine(HostTools.RepoRoot, ".nuke", "temp", "npm-tools");

    /// <summary>The installed tools' directory (node_modules inside); needs node and npm from the Setup list.</summary>
    public static string Ensure()
    {
        HostTools.Require("npm");
        HostTools.Require("node");
        return NpmTools.EnsureAsync(Directory, _ => { }, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The installed directory of one pinned package.</summary>
    public static string Package(string name) => NpmTools.PackageDirectory(Ensure(), name);
}
