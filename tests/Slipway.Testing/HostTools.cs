using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// The host tools and files a test may use: exactly what build/setup-packages.txt provides, the list the Setup
/// target installs from. Asking for something the list does not provide fails the test (add a line to the list);
/// something listed but absent (Setup has not run) skips it visibly with the fix, and fails it under CI=true.
/// </summary>
public static class HostTools
{
    public const string ListPath = SetupList.RelativePath;

    private static readonly Lazy<SetupList> Listed = new(() => SetupList.Read(System.IO.Path.Combine(RepoRoot, ListPath)));

    public static SetupList List => Listed.Value;

    /// <summary>The repository root: the first parent of the test binaries that holds build/setup-packages.txt.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The full path of <paramref name="tool"/> (looked up like Setup does: PATH, /usr/sbin, /sbin).</summary>
    public static string Require(string tool) =>
        List.Packages.FirstOrDefault(p => p.Section == SetupList.DotnetTool && p.Provides.Contains(tool)) is not null
            ? Resolve(tool, File.Exists(SetupList.DotnetToolPath(RepoRoot, tool)) ? SetupList.DotnetToolPath(RepoRoot, tool) : null, "./build.sh SetupTests")
            : Resolve(tool, SetupList.Locate(tool));

    /// <summary>An absolute host file (e.g. /bin/busybox), which some package of the list must provide.</summary>
    public static string Path(string file) =>
        file.StartsWith('/') ? Resolve(file, SetupList.Locate(file)) : throw new ArgumentException($"HostTools.Path takes an absolute path, not '{file}'; for a command use HostTools.Require");

    private static string Resolve(string thing, string? found, string setup = "./build.sh Setup")
    {
        if (List.PackageOf(thing) is not { } package)
            throw new InvalidOperationException($"the test uses '{thing}', which {ListPath} does not provide; add a line '<debian-package>  {thing}' to it so Setup installs it");
        if (found is not null) return found;
        var fix = $"'{thing}' ({package}, listed in {ListPath}) is not installed here; run {setup}";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(fix + " (CI=true: a missing listed tool fails instead of skipping)");
        throw new SkipException(fix);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, ListPath))) return dir.FullName;
        throw new InvalidOperationException($"no {ListPath} above {AppContext.BaseDirectory}");
    }
}
