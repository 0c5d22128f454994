using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Source.Imaging;

/// <summary>
/// Toolchain bases unpacked once as plain directories, so a build stage can run on an overlay of one (the base
/// read-only below, the build's writes in an upper directory of its own) instead of buildah copying the whole base
/// into a vfs container every build. One entry per base, named by its digest: a base rebuilt with another digest
/// replaces its entry, so the cache holds at most one tree per base. An entry is made under a file lock into a
/// temporary directory and renamed into place: a reader sees a whole tree or none. Entries are shared by every
/// tenant and never written after the rename (builds write only to their own upper directory).
/// </summary>
public sealed class ToolchainRoots(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The entry's path for a base and digest (whether or not it exists).</summary>
    public string EntryPath(string baseName, Digest digest) => Path.Combine(Directory, $"{baseName}-{digest.Hex[..32]}");

    /// <summary>
    /// The unpacked tree of <paramref name="image"/> (an <c>oci:DIR:REF</c> base whose manifest is <paramref name="digest"/>),
    /// made on first use; other digests' entries of the same base are removed then.
    /// </summary>
    public async Task<string> GetAsync(IReadOnlyList<string> storage, string baseName, string image, Digest digest, Action<string> log, CancellationToken ct)
    {
        var entry = EntryPath(baseName, digest);
        if (System.IO.Directory.Exists(entry)) return entry;
        System.IO.Directory.CreateDirectory(Directory);
        await using var held = await FileLock.TakeAsync(Path.Combine(Directory, baseName + ".lock"), () => log($"waiting for another build unpacking the {baseName} base (lock {Directory}/{baseName}.lock)"), ct);
        if (System.IO.Directory.Exists(entry)) return entry; // another process made it while this one waited
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tmp = Path.Combine(Directory, $".tmp-{baseName}-{Guid.NewGuid():N}");
        // buildah unpacks the base (whiteouts, owners, modes, xattrs as a container would see them); cp keeps all of it.
        try
        {
            await using var stage = await BuildahStage.FromAsync(storage, image, log, ct);
            var root = await stage.MountAsync(ct);
            System.IO.Directory.CreateDirectory(tmp);
            var cp = await ToolRunner.RunAsync(new ToolInvocation("cp", ["-a", "--reflink=auto", root + "/.", tmp]) { CaptureStandardOutput = true }, ct);
            if (!cp.Succeeded) throw new StepFailure("build", FailureClass.Transient, $"unpacking the {baseName} base into {Directory} failed (cp exit code {cp.ExitCode})", cp.Tail);
            System.IO.Directory.Move(tmp, entry);
        }
        finally
        {
            if (System.IO.Directory.Exists(tmp)) Remove(tmp);
        }
        // One entry per base: trees of the base's earlier digests (and temporaries of killed processes) go.
        foreach (var stale in System.IO.Directory.EnumerateDirectories(Directory))
            if (stale != entry && (Of(Path.GetFileName(stale), baseName + "-") || Of(Path.GetFileName(stale), $".tmp-{baseName}-"))) Remove(stale);
        log($"unpacked the {baseName} base into {entry} in {clock.Elapsed.TotalSeconds:F1} s (once per base digest)");
        return entry;
    }

    /// <summary>A name of this base's entries or temporaries: the prefix and 32 hex digits (so "node" never matches "node-slim-…").</summary>
    private static bool Of(string name, string prefix) =>
        name.Length == prefix.Length + 32 && name.StartsWith(prefix, StringComparison.Ordinal) && name[prefix.Length..].All(char.IsAsciiHexDigitLower);

    /// <summary>Renamed away first (a reader never sees half a tree), then deleted.</summary>
    private void Remove(string path)
    {
        var trash = Path.Combine(Directory, $".trash-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.Move(path, trash);
            System.IO.Directory.Delete(trash, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
