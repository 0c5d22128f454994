using Slipway.Oci.Model;

namespace Slipway.Oci.Content;

/// <summary>
/// A blob whose digest and size are known before it is read, and that can be opened as often as needed
/// (once to verify, again to upload after a failed attempt). Implementations stream; none buffers a layer.
/// </summary>
public interface IBlob
{
    Descriptor Descriptor { get; }

    /// <summary>Where this blob already lives in a registry, if it came from one: enables cross-repository mounts.</summary>
    BlobOrigin? Origin => null;

    Task<Stream> OpenReadAsync(CancellationToken cancellationToken);
}

/// <summary>A registry repository that is known to hold a blob.</summary>
public sealed record BlobOrigin(string Registry, string Repository);

/// <summary>A small blob held in memory (manifests, configs): never used for layers.</summary>
public sealed class BytesBlob(Descriptor descriptor, ReadOnlyMemory<byte> content) : IBlob
{
    public BytesBlob(string mediaType, byte[] content) : this(Descriptor.Of(mediaType, content), content) { }

    public Descriptor Descriptor { get; } = descriptor;
    public ReadOnlyMemory<byte> Content { get; } = content;

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(Content.ToArray(), writable: false));
}

/// <summary>A blob stored in a file (an OCI layout's blobs/ directory, a cache), read on demand.</summary>
public sealed class FileBlob(Descriptor descriptor, string path) : IBlob
{
    public Descriptor Descriptor { get; } = descriptor;
    public string Path { get; } = path;

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan));
}
