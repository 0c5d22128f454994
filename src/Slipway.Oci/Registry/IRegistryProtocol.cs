using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Registry;

// One narrow interface per area of the OCI distribution spec. RegistryClient implements them all; the push
// flow (RegistrySession) and the tests use them one area at a time.

/// <summary>Blobs that exist: "Checking if content exists", "Pulling blobs", "Mounting a blob from another repository".</summary>
public interface IBlobStore
{
    /// <summary>
    /// The blob's size when the repository has it, otherwise null. A pusher asks with <see cref="RegistryAccess.Push"/>
    /// so that one token (pull,push) serves the whole push.
    /// </summary>
    Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken, RegistryAccess access = RegistryAccess.Pull);

    /// <summary>Streams a blob; the stream throws at its end when size or digest differ from the descriptor.</summary>
    Task<Stream> GetBlobAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>
    /// Cross-repository mount of a blob <paramref name="fromRepository"/> holds. When the registry declines (202),
    /// the result carries the upload session it opened instead, so the caller uploads without another POST.
    /// </summary>
    Task<MountResult> MountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken);
}

/// <summary>The token scope a request runs under: pull, or pull,push (a push asks for both from its first request).</summary>
public enum RegistryAccess { Pull, Push }

/// <summary>An upload the registry opened: where the next request goes and how much it has received.</summary>
public sealed record UploadSession(string Repository, Uri Location, long Offset = 0, long? MinChunkLength = null);

/// <summary>What a mount did: mounted, or declined with an open upload session.</summary>
public sealed record MountResult(bool Mounted, UploadSession? Session);

/// <summary>Pushing blobs: one monolithic PUT, or PATCH chunks then a committing PUT; DELETE abandons a session.</summary>
public interface IBlobUploads
{
    Task<UploadSession> StartUploadAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Sends the whole blob in the committing PUT (streamed from the blob, Content-Length from its descriptor).</summary>
    Task PutMonolithicAsync(UploadSession session, IBlob blob, CancellationToken cancellationToken);

    /// <summary>Sends one chunk at the session's offset; returns the session moved past it.</summary>
    Task<UploadSession> PatchChunkAsync(UploadSession session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);

    /// <summary>Commits a chunked upload under <paramref name="digest"/>.</summary>
    Task CommitAsync(UploadSession session, Digest digest, CancellationToken cancellationToken);

    /// <summary>Abandons an upload session (best effort: registries also expire them).</summary>
    Task CancelAsync(UploadSession session, CancellationToken cancellationToken);
}

/// <summary>Manifests by tag or digest.</summary>
public interface IManifestStore
{
    /// <summary>The descriptor a tag or digest resolves to, or null when the repository has no such manifest.</summary>
    Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken, RegistryAccess access = RegistryAccess.Pull);

    /// <summary>The exact manifest bytes and their media type; bytes fetched by digest are checked against it.</summary>
    Task<(byte[] Bytes, string MediaType)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>PUTs manifest bytes under a digest or tag and checks the digest the registry computed.</summary>
    Task PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken);
}

public interface ITagLister
{
    /// <summary>Every tag of the repository, following the Link header across pages.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);
}
