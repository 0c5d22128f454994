using System.Security.Cryptography;
using System.Text;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Images.Pipeline;

/// <summary>
/// The input hash recorded on every image (<c>dev.slipway.input-hash</c>): sha256 over the method, the image's
/// identity and version, build args, platforms, the method's extra inputs (engine, base image digests, locks) and
/// every input file's relative path and bytes (their SHA-256, remembered across runs by <see cref="FileHashCache"/>) in ordinal order. Commit and time are deliberately left out: a new
/// commit that changes nothing an image is made of must not rebuild it.
/// </summary>
public static class InputHash
{
    /// <summary>Bumped when the pipeline changes what it writes into images, so old images are rebuilt once.</summary>
    public const string Scheme = "slipway-images/v1";

    public static Task<Digest> ComputeAsync(string root, ImageDefinition definition, IReadOnlyList<string> extraInputs, CancellationToken cancellationToken) =>
        ComputeAsync(root, definition, extraInputs, null, cancellationToken);

    /// <param name="hashes">Hashes of files read before (null: every file is read).</param>
    public static async Task<Digest> ComputeAsync(string root, ImageDefinition definition, IReadOnlyList<string> extraInputs, FileHashCache? hashes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string key, string value)
        {
            // Length-prefixed so no combination of values can collide with another.
            hash.AppendData(Encoding.UTF8.GetBytes($"{key} {Encoding.UTF8.GetByteCount(value)}:{value}\n"));
        }
        Line("scheme", Scheme);
        Line("method", definition.Method);
        Line("name", definition.Name);
        Line("suffix", definition.TagSuffix);
        Line("version", ImageTags.VersionOf(definition));
        Line("attribute", definition.Attribute ?? "");
        Line("visibility", definition.Visibility);
        foreach (var p in definition.Platforms.Order(StringComparer.Ordinal)) Line("platform", p);
        foreach (var (k, v) in definition.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal)) Line("arg", $"{k}={v}");
        foreach (var extra in extraInputs) Line("extra", extra);

        var files = definition.InputFiles
            .Select(f => (Absolute: Path.GetFullPath(f, root), Relative: Path.GetRelativePath(root, Path.GetFullPath(f, root)).Replace('\\', '/')))
            .DistinctBy(f => f.Relative)
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        hashes ??= new FileHashCache(null);
        foreach (var (absolute, relative) in files)
        {
            var info = new FileInfo(absolute);
            if (info.LinkTarget is { } target)
            {
                // A symlink is its target text, as it goes into a build context.
                Line("symlink", $"{relative}\0{target}");
                continue;
            }
            if (!info.Exists)
                throw new FileNotFoundException($"input file '{relative}' of image '{definition.Name}' does not exist (listed by the {definition.Method} method)", absolute);
            var sha = await hashes.HashAsync(absolute, cancellationToken);
            // The executable bit changes what the image runs, so it is an input too.
            var exec = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(absolute) & UnixFileMode.UserExecute) != 0 ? "x" : "-";
            Line("file", $"{relative}\0{exec}\0{sha}");
        }
        hashes.Save();
        return Digest.FromHash("sha256", hash.GetHashAndReset());
    }
}
