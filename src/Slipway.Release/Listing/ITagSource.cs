using System.Net;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;

namespace Slipway.Release.Listing;

/// <summary>The tags of one image repository and the documents behind them: a registry repository or an OCI layout.</summary>
public interface ITagSource
{
    /// <summary>For tables and errors: <c>127.0.0.1:5000/team/api</c> or <c>oci:artifacts/images/api</c>.</summary>
    string Display { get; }

    /// <summary>Every tag (all pages); empty when the repository does not exist yet.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken);

    /// <summary>The manifest (or index) a tag points at, with its digest; null when the tag does not exist.</summary>
    Task<(Digest Digest, byte[] Bytes)?> GetManifestAsync(string reference, CancellationToken cancellationToken);

    /// <summary>A small JSON blob (an image config) by descriptor.</summary>
    Task<byte[]> GetBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);
}

public sealed class RegistryTagSource(RegistryClient client, string repository) : ITagSource
{
    public string Display => $"{client.Registry}/{repository}";

    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken ct)
    {
        try { return await client.ListTagsAsync(repository, ct); }
        catch (RegistryException e) when (e.Status == HttpStatusCode.NotFound) { return []; }
    }

    public async Task<(Digest Digest, byte[] Bytes)?> GetManifestAsync(string reference, CancellationToken ct)
    {
        try
        {
            var (bytes, _) = await client.GetManifestAsync(repository, reference, ct);
            return (Digest.Sha256(bytes), bytes);
        }
        catch (RegistryException e) when (e.Status == HttpStatusCode.NotFound) { return null; }
    }

    public async Task<byte[]> GetBlobAsync(Descriptor descriptor, CancellationToken ct)
    {
        await using var stream = await client.GetBlobAsync(repository, descriptor, ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}

public sealed class LayoutTagSource(string directory, string display) : ITagSource
{
    public string Display => display;

    private OciLayout? Layout => File.Exists(Path.Combine(directory, "index.json")) ? OciLayout.Open(directory) : null;

    public Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Layout?.ListRefs().Distinct().ToList() ?? []);

    public Task<(Digest Digest, byte[] Bytes)?> GetManifestAsync(string reference, CancellationToken ct)
    {
        if (Layout is not { } layout) return Task.FromResult<(Digest, byte[])?>(null);
        try
        {
            var d = layout.Resolve(reference);
            return Task.FromResult<(Digest, byte[])?>((d.Digest, layout.ReadBlobBytes(d)));
        }
        catch (KeyNotFoundException) { return Task.FromResult<(Digest, byte[])?>(null); }
    }

    public Task<byte[]> GetBlobAsync(Descriptor descriptor, CancellationToken ct) =>
        Task.FromResult(Layout?.ReadBlobBytes(descriptor) ?? throw new ReleaseException($"{display} has no index.json"));
}
