using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layout;

/// <summary>
/// An OCI image layout directory (image-spec image-layout.md): <c>oci-layout</c>, <c>index.json</c> and
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>. Tags are <c>org.opencontainers.image.ref.name</c> annotations in index.json,
/// which is what skopeo's and podman's <c>oci:DIR:REF</c> read.
/// </summary>
public sealed class OciLayout
{
    private static readonly byte[] LayoutMarker = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();
    private readonly SemaphoreSlim _indexLock = new(1, 1);

    private OciLayout(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public static OciLayout Open(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"OCI layout '{path}' does not exist");
        if (!File.Exists(System.IO.Path.Combine(path, "oci-layout")))
            throw new InvalidDataException($"'{path}' is not an OCI image layout: it has no 'oci-layout' file");
        return new OciLayout(path);
    }

    public static OciLayout OpenOrCreate(string path)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(path, "blobs", "sha256"));
        var marker = System.IO.Path.Combine(path, "oci-layout");
        if (!File.Exists(marker)) File.WriteAllBytes(marker, LayoutMarker);
        var index = System.IO.Path.Combine(path, "index.json");
        if (!File.Exists(index)) File.WriteAllBytes(index, OciJson.Serialize(new ImageIndex { Manifests = [] }));
        return new OciLayout(path);
    }

    public string BlobPath(Digest digest) => System.IO.Path.Combine(Path, "blobs", digest.Algorithm, digest.Hex);

    public bool HasBlob(Descriptor d) => new FileInfo(BlobPath(d.Digest)) is { Exists: true } f && f.Length == d.Size;

    public ImageIndex ReadIndex()
    {
        var file = System.IO.Path.Combine(Path, "index.json");
        if (!File.Exists(file)) throw new InvalidDataException($"OCI layout '{Path}' has no index.json");
        return OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(file), $"{file}");
    }

    /// <summary>Ref names in index.json, in file order.</summary>
    public IReadOnlyList<string> ListRefs() =>
        ReadIndex().Manifests.Select(m => m.Annotations?.GetValueOrDefault(Annotations.RefName)).OfType<string>().ToList();

    /// <summary>
    /// The manifest descriptor for <paramref name="reference"/> (a ref name or a digest); with no reference the
    /// layout must hold exactly one manifest, as skopeo requires.
    /// </summary>
    public Descriptor Resolve(string? reference)
    {
        var index = ReadIndex();
        if (reference is null)
        {
            if (index.Manifests.Count == 1) return index.Manifests[0];
            throw new InvalidDataException(index.Manifests.Count == 0
                ? $"OCI layout '{Path}' holds no image"
                : $"OCI layout '{Path}' holds {index.Manifests.Count} images; name one as oci:{Path}:REF. Available refs are: {string.Join(", ", ListRefs())}");
        }
        if (Digest.TryParse(reference, out var digest))
            return index.Manifests.FirstOrDefault(m => m.Digest == digest)
                ?? throw new KeyNotFoundException($"OCI layout '{Path}' has no manifest {digest} in index.json");
        return index.Manifests.LastOrDefault(m => m.Annotations?.GetValueOrDefault(Annotations.RefName) == reference)
            ?? throw new KeyNotFoundException($"OCI layout '{Path}' has no image named '{reference}'. Available refs are: {(ListRefs() is { Count: > 0 } refs ? string.Join(", ", refs) : "(none)")}");
    }

    public byte[] ReadBlobBytes(Descriptor d, long limit = 4 << 20)
    {
        if (d.Size > limit) throw new InvalidDataException($"{d.Digest} is {d.Size} bytes; too large to read as a document");
        var path = BlobPath(d.Digest);
        if (!File.Exists(path)) throw new FileNotFoundException($"OCI layout '{Path}' is missing blob {d.Digest}", path);
        var bytes = File.ReadAllBytes(path);
        if (Digest.Sha256(bytes) != d.Digest && d.Digest.Algorithm == "sha256")
            throw new InvalidDataException($"blob {d.Digest} in '{Path}' does not match its digest: the layout is corrupt");
        return bytes;
    }

    /// <summary>Reads the image <paramref name="reference"/> names; an index is narrowed to <paramref name="platform"/>.</summary>
    public OciImage ReadImage(string? reference, Platform? platform = null)
    {
        var desc = Resolve(reference);
        var bytes = ReadBlobBytes(desc);
        var mediaType = desc.MediaType ?? OciJson.SniffMediaType(bytes, null);
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = OciJson.Deserialize<ImageIndex>(bytes, $"index {desc.Digest}");
            desc = PlatformSelector.Select(index, platform ?? Platform.Current, $"oci:{Path}:{reference}");
            bytes = ReadBlobBytes(desc);
            mediaType = desc.MediaType;
        }
        var manifest = OciJson.Deserialize<ImageManifest>(bytes, $"manifest {desc.Digest}");
        IBlob Blob(Descriptor d) => new FileBlob(d, BlobPath(d.Digest));
        return new OciImage(bytes, mediaType, Blob(manifest.Config), manifest.Layers.Select(Blob).ToList());
    }

    /// <summary>Streams a blob into the layout, verifying its digest; written to a temp file then renamed.</summary>
    public async Task WriteBlobAsync(IBlob blob, CancellationToken cancellationToken)
    {
        var d = blob.Descriptor;
        if (HasBlob(d)) return;
        var final = BlobPath(d.Digest);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(final)!);
        var tmp = final + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            await using (var source = await blob.OpenReadAsync(cancellationToken))
            await using (var verify = new VerifyingReadStream(source, d))
            await using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await verify.CopyToAsync(file, 1 << 17, cancellationToken);
            File.Move(tmp, final, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public Task WriteBlobAsync(string mediaType, byte[] bytes, CancellationToken cancellationToken) =>
        WriteBlobAsync(new BytesBlob(mediaType, bytes), cancellationToken);

    /// <summary>Points ref name <paramref name="refName"/> at <paramref name="manifest"/>, replacing an older entry of that name.</summary>
    public async Task SetRefAsync(string refName, Descriptor manifest, CancellationToken cancellationToken)
    {
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            var index = ReadIndex();
            var kept = index.Manifests.Where(m => m.Annotations?.GetValueOrDefault(Annotations.RefName) != refName).ToList();
            kept.Add(manifest with
            {
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Annotations.RefName] = refName },
                Platform = manifest.Platform,
            });
            WriteIndex(index with { Manifests = kept });
        }
        finally
        {
            _indexLock.Release();
        }
    }

    private void WriteIndex(ImageIndex index)
    {
        var file = System.IO.Path.Combine(Path, "index.json");
        var tmp = file + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(tmp, OciJson.Serialize(index));
        File.Move(tmp, file, overwrite: true);
    }
}
