using System.Security.Cryptography;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layout;

/// <summary>
/// An OCI image layout directory (image-spec image-layout.md): <c>oci-layout</c>, <c>index.json</c> and
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>, tags as <c>org.opencontainers.image.ref.name</c> annotations (what skopeo and
/// podman read as <c>oci:DIR:TAG</c>). Blobs are written to a temp file, verified, then renamed into place, and
/// index.json is replaced atomically under a lock, so readers never see a half-written layout.
/// </summary>
public sealed class OciLayout
{
    private const string LayoutFile = "oci-layout";
    private const string IndexFile = "index.json";
    private static readonly byte[] LayoutJson = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();
    private static readonly SemaphoreSlim ProcessLock = new(1, 1);

    private OciLayout(string root) => Root = root;

    public string Root { get; }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, LayoutFile));

    /// <summary>Opens an existing layout; the error says how to make one when it is not there.</summary>
    public static OciLayout Open(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new OciLayoutException($"OCI layout '{directory}' does not exist; check the path (copy an image there with 'slipway copy SRC oci:{directory}:TAG' to create one)");
        if (!Exists(root))
            throw new OciLayoutException($"'{directory}' is not an OCI image layout (no oci-layout file); point at the directory that holds oci-layout and index.json");
        return new OciLayout(root);
    }

    public static OciLayout OpenOrCreate(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (File.Exists(root)) throw new OciLayoutException($"'{directory}' is a file; an OCI layout is a directory");
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        if (!Exists(root)) AtomicWrite(Path.Combine(root, LayoutFile), LayoutJson);
        if (!File.Exists(Path.Combine(root, IndexFile)))
            AtomicWrite(Path.Combine(root, IndexFile), OciJson.Serialize(new ImageIndex { Manifests = [] }));
        return new OciLayout(root);
    }

    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Hex);

    public bool HasBlob(Descriptor d) => new FileInfo(BlobPath(d.Digest)) is { Exists: true } f && f.Length == d.Size;

    public FileBlob Blob(Descriptor d)
    {
        var path = BlobPath(d.Digest);
        if (!File.Exists(path))
            throw new OciLayoutException($"OCI layout '{Root}' lacks blob {d.Digest} ({d.MediaType}); the layout is incomplete, copy the image into it again");
        return new FileBlob(d, path);
    }

    public ImageIndex ReadIndex()
    {
        var path = Path.Combine(Root, IndexFile);
        if (!File.Exists(path)) return new ImageIndex { Manifests = [] };
        return OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(path), path);
    }

    /// <summary>Every ref name in index.json, in index order.</summary>
    public IReadOnlyList<string> RefNames() =>
        ReadIndex().Manifests.Select(RefName).OfType<string>().Distinct().ToList();

    public static string? RefName(Descriptor d) => d.Annotations?.GetValueOrDefault(Annotations.RefName);

    /// <summary>The index entry for a ref name or a digest, or null.</summary>
    public Descriptor? Find(string reference)
    {
        var index = ReadIndex();
        if (Digest.TryParse(reference, out var digest))
            return index.Manifests.FirstOrDefault(m => m.Digest == digest);
        return index.Manifests.LastOrDefault(m => RefName(m) == reference);
    }

    /// <summary>
    /// Reads the image a ref names (or the only image when <paramref name="reference"/> is null), choosing
    /// <paramref name="platform"/> (default: this machine's) from an index.
    /// </summary>
    public async Task<OciImage> ReadImageAsync(string? reference, Platform? platform, CancellationToken cancellationToken)
    {
        Descriptor descriptor;
        if (reference is null)
        {
            var all = ReadIndex().Manifests;
            if (all.Count != 1)
                throw new OciLayoutException(all.Count == 0
                    ? $"OCI layout '{Root}' holds no image"
                    : $"OCI layout '{Root}' holds {all.Count} images; name one as oci:{Root}:REF. Available refs are: {string.Join(", ", RefNames())}");
            descriptor = all[0];
        }
        else
        {
            descriptor = Find(reference) ?? throw new OciLayoutException(
                $"OCI layout '{Root}' has no image '{reference}'. Available refs are: {(RefNames() is { Count: > 0 } r ? string.Join(", ", r) : "(none)")}");
        }
        return await ReadImageAsync(descriptor, platform, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OciImage> ReadImageAsync(Descriptor descriptor, Platform? platform, CancellationToken cancellationToken)
    {
        var bytes = await ReadVerifiedAsync(descriptor, cancellationToken).ConfigureAwait(false);
        var mediaType = OciJson.SniffMediaType(bytes, descriptor.MediaType);
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = OciJson.Deserialize<ImageIndex>(bytes, $"index {descriptor.Digest}");
            var chosen = SelectPlatform(index, platform ?? Platform.Current, $"index {descriptor.Digest} in '{Root}'");
            return await ReadImageAsync(chosen, platform, cancellationToken).ConfigureAwait(false);
        }
        var manifest = OciJson.Deserialize<ImageManifest>(bytes, $"manifest {descriptor.Digest}");
        return new OciImage(bytes, mediaType, Blob(manifest.Config), manifest.Layers.Select(Blob).ToList());
    }

    /// <summary>Picks a platform's manifest from an index; the error lists the platforms there are.</summary>
    public static Descriptor SelectPlatform(ImageIndex index, Platform want, string what)
    {
        var candidates = index.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType) || MediaTypes.IsIndex(m.MediaType)).ToList();
        var match = candidates.FirstOrDefault(m => m.Platform is { } p && p.Os == want.Os && p.Architecture == want.Architecture && (want.Variant is null || p.Variant == want.Variant))
            ?? (candidates.Count == 1 && candidates[0].Platform is null ? candidates[0] : null);
        return match ?? throw new OciLayoutException(
            $"{what} has no image for {want}. Available platforms are: {string.Join(", ", candidates.Select(c => c.Platform?.ToString() ?? "(unspecified)"))}");
    }

    private async Task<byte[]> ReadVerifiedAsync(Descriptor d, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(Blob(d).Path, ct).ConfigureAwait(false);
        if (bytes.Length != d.Size || Digest.FromHash(d.Digest.Algorithm, Hash(d.Digest, bytes)) != d.Digest)
            throw new OciLayoutException($"blob {d.Digest} in '{Root}' is corrupt (content does not match its digest)");
        return bytes;
    }

    private static byte[] Hash(Digest d, byte[] data)
    {
        using var h = d.CreateHasher();
        h.AppendData(data);
        return h.GetHashAndReset();
    }

    /// <summary>
    /// Stores a blob unless a file of the right size is already there. The bytes go to a temp file next to the
    /// target while being hashed; only content matching the descriptor is renamed into place.
    /// Returns the number of bytes written (0 when it was there).
    /// </summary>
    public async Task<long> WriteBlobAsync(IBlob blob, CancellationToken cancellationToken)
    {
        var d = blob.Descriptor;
        if (HasBlob(d)) return 0;
        var target = BlobPath(d.Digest);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var tmp = Path.Combine(Path.GetDirectoryName(target)!, $".tmp-{d.Digest.Hex[..12]}-{Guid.NewGuid():N}");
        try
        {
            using var hasher = d.Digest.CreateHasher();
            long size = 0;
            await using (var input = await blob.OpenReadAsync(cancellationToken).ConfigureAwait(false))
            await using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 18];
                int n;
                while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hasher.AppendData(buffer, 0, n);
                    size += n;
                    if (size > d.Size) break;
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
            }
            var got = Digest.FromHash(d.Digest.Algorithm, hasher.GetHashAndReset());
            if (size != d.Size || got != d.Digest)
                throw new OciLayoutException($"blob {d.Digest} ({d.MediaType}) came out as {(size > d.Size ? "more than " + d.Size + " bytes" : got + $", {size} bytes")}; refusing to store it in '{Root}'");
            File.Move(tmp, target, overwrite: true);
            return size;
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Changes index.json under a process- and file-level lock and replaces it atomically.</summary>
    public async Task UpdateIndexAsync(Func<ImageIndex, ImageIndex> change, CancellationToken cancellationToken)
    {
        await ProcessLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // FileShare.None takes an exclusive flock on oci-layout: other slipway processes wait, readers are unaffected.
            using var fileLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            var updated = change(ReadIndex());
            AtomicWrite(Path.Combine(Root, IndexFile), OciJson.Serialize(updated));
        }
        finally { ProcessLock.Release(); }
    }

    private async Task<FileStream> LockAsync(CancellationToken ct)
    {
        var path = Path.Combine(Root, LayoutFile);
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (attempt < 600) { await Task.Delay(50, ct).ConfigureAwait(false); }
        }
    }

    /// <summary>Points each tag at <paramref name="manifest"/>, replacing whatever that tag named before.</summary>
    public Task SetRefsAsync(Descriptor manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        UpdateIndexAsync(index =>
        {
            var plain = manifest with { Annotations = null, Urls = null };
            var list = index.Manifests.Where(m => RefName(m) is not { } r || !tags.Contains(r)).ToList();
            if (tags.Count == 0)
            {
                if (!list.Any(m => m.Digest == manifest.Digest)) list.Add(plain);
            }
            else
            {
                // An untagged entry for the same digest is superseded by the tagged one.
                list.RemoveAll(m => m.Digest == manifest.Digest && RefName(m) is null);
                foreach (var tag in tags)
                    list.Add(plain with { Annotations = new Dictionary<string, string> { [Annotations.RefName] = tag } });
            }
            return index with { Manifests = list, MediaType = MediaTypes.OciIndex };
        }, cancellationToken);

    internal static void AtomicWrite(string path, byte[] content)
    {
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }
}

/// <summary>An OCI layout or archive problem; the message names the path or digest and the fix.</summary>
public sealed class OciLayoutException(string message, Exception? inner = null) : Exception(message, inner);
