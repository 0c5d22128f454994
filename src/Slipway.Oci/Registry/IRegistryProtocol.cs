using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Registry;

/// <summary>Blob reads and existence checks (distribution spec: "Pulling blobs", "Checking if content exists").</summary>
public interface IBlobStore
{
    /// <summary>The blob's size when the repository has it, otherwise null.</summary>
    Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);
    /// <summary>Streams a blob, verifying size and digest as it is read.</summary>
    Task<Stream> GetBlobAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken);
}

/// <summary>An upload session the registry opened: where to send the bytes.</summary>
public sealed record UploadSession(string Repository, Uri Location, long? MinChunkLength);

/// <summary>Blob uploads: mount, monolithic PUT, chunked PATCH as the fallback.</summary>
public interface IBlobUploads
{
    /// <summary>Cross-repository mount; true when mounted, otherwise the session the registry opened instead.</summary>
    Task<(bool Mounted, UploadSession? Session)> MountAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken);
    Task<UploadSession> StartUploadAsync(string repository, CancellationToken cancellationToken);
    /// <summary>Sends the whole blob in one PUT and commits it.</summary>
    Task CommitMonolithicAsync(UploadSession session, IBlob blob, CancellationToken cancellationToken);
    /// <summary>Sends the blob as PATCH chunks (at least the registry's minimum), then commits with an empty PUT.</summary>
    Task CommitChunkedAsync(UploadSession session, IBlob blob, int chunkSize, CancellationToken cancellationToken);
}

/// <summary>Manifests by tag or digest.</summary>
public interface IManifestStore
{
    Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken);
    Task<(byte[] Bytes, string MediaType)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);
    /// <summary>PUTs manifest bytes under a digest or tag and checks the digest the registry computed.</summary>
    Task PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken);
}

public interface ITagLister
{
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);
}
