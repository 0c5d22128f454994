using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layout;

/// <summary>An image read from a docker-archive, with the tags the archive recorded for it.</summary>
public sealed record DockerArchiveImage(OciImage Image, IReadOnlyList<string> RepoTags);

/// <summary>
/// Reads <c>docker save</c> / Nix <c>dockerTools</c> archives (manifest.json + config + layer tars, gzip'd or not)
/// into an OCI image without extracting them. Layers inside are uncompressed tars, so by default each becomes a
/// <see cref="StreamedLayerBlob"/>: compressed once to learn its digest (cached by diffID when a cache directory
/// is given: the diffID fixes the compressed bytes), and compressed again from the archive when uploaded.
/// <para>
/// Cost: a plain archive is read at each layer's offset (seek). A gzip'd archive cannot seek, so every open of a
/// layer decompresses the archive from its start up to that layer: reading all N layers costs O(N²/2) archive
/// decompression; gunzip the archive first when that matters.
/// </para>
/// </summary>
public static class DockerArchive
{
    private sealed record ManifestEntry(
        [property: JsonPropertyName("Config")] string Config,
        [property: JsonPropertyName("RepoTags")] List<string>? RepoTags,
        [property: JsonPropertyName("Layers")] List<string> Layers);

    public static async Task<DockerArchiveImage> ReadAsync(string file, string? reference, LayerOptions options, string? cacheDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
            throw new OciLayoutException($"docker-archive '{file}' does not exist; check the path (create one with 'docker save -o {file} IMAGE')");
        var gzipped = IsGzip(file);
        var members = new Dictionary<string, TarMember>(StringComparer.Ordinal);
        var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var s = OpenArchive(file, gzipped))
        {
            try
            {
                foreach (var m in TarScanner.Scan(s, (m, data) => small[Clean(m.Name)] = ((MemoryStream)data).ToArray(), smallLimit: 4 << 20))
                    members[Clean(m.Name)] = m;
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
            { throw new OciLayoutException($"'{file}' is not a readable tar archive: {e.Message}", e); }
        }
        if (!small.TryGetValue("manifest.json", out var manifestJson))
            throw new OciLayoutException($"'{file}' has no manifest.json; it is not a docker-archive (expected the output of 'docker save')");
        List<ManifestEntry> entries;
        try { entries = JsonSerializer.Deserialize<List<ManifestEntry>>(manifestJson) ?? []; }
        catch (JsonException e) { throw new OciLayoutException($"manifest.json in '{file}' is not valid: {e.Message}", e); }
        if (entries.Count == 0) throw new OciLayoutException($"'{file}' holds no image (manifest.json is empty)");

        var entry = Select(entries, reference, file);
        var configBytes = ReadSmall(Resolve(entry.Config));
        var config = OciJson.Deserialize<ImageConfig>(configBytes, $"config '{entry.Config}' in '{file}'");
        if (config.RootFs.DiffIds.Count != entry.Layers.Count)
            throw new OciLayoutException($"'{file}': config lists {config.RootFs.DiffIds.Count} diff_ids but manifest.json lists {entry.Layers.Count} layers");

        var layers = new List<IBlob>();
        for (var i = 0; i < entry.Layers.Count; i++)
        {
            var member = Resolve(entry.Layers[i]);
            var diffId = config.RootFs.DiffIds[i];
            layers.Add(await LayerBlobAsync(file, gzipped, member, diffId, options, cacheDirectory, cancellationToken).ConfigureAwait(false));
        }
        var configBlob = new BytesBlob(MediaTypes.OciConfig, configBytes);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = configBlob.Descriptor,
            Layers = layers.Select(l => l.Descriptor).ToList(),
        };
        var image = new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
        return new DockerArchiveImage(image, entry.RepoTags ?? []);

        TarMember Resolve(string name)
        {
            var path = Clean(name);
            for (var hops = 0; hops < 16; hops++)
            {
                if (!members.TryGetValue(path, out var m))
                    throw new OciLayoutException($"'{file}' lacks '{name}', which manifest.json names; the archive is incomplete");
                if (m.Type is not ('2' or '1')) return m;
                // docker save links duplicate layers to the first copy (relative symlinks).
                path = m.Type == '1' ? Clean(m.LinkName) : Clean(Path.GetRelativePath(".", Path.Combine(Path.GetDirectoryName(path) ?? "", m.LinkName)));
            }
            throw new OciLayoutException($"'{name}' in '{file}' is a chain of links that does not end");
        }

        byte[] ReadSmall(TarMember m) => small.TryGetValue(Clean(m.Name), out var b) ? b
            : throw new OciLayoutException($"'{m.Name}' in '{file}' is too large ({m.Size} bytes) for an image config");
    }

    private static ManifestEntry Select(List<ManifestEntry> entries, string? reference, string file)
    {
        if (reference is null)
        {
            if (entries.Count == 1) return entries[0];
            throw new OciLayoutException($"'{file}' holds {entries.Count} images; choose one as docker-archive:{file}:REPO:TAG or docker-archive:{file}:@N. Available are: {Describe(entries)}");
        }
        if (reference.StartsWith('@') && int.TryParse(reference[1..], out var n))
            return n >= 0 && n < entries.Count ? entries[n] : throw new OciLayoutException($"'{file}' has no image @{n}; indexes run from @0 to @{entries.Count - 1}");
        return entries.FirstOrDefault(e => e.RepoTags?.Contains(reference) == true)
            ?? entries.FirstOrDefault(e => e.RepoTags?.Any(t => t.EndsWith("/" + reference, StringComparison.Ordinal)) == true)
            ?? throw new OciLayoutException($"'{file}' has no image tagged '{reference}'. Available are: {Describe(entries)}");
    }

    private static string Describe(List<ManifestEntry> entries) =>
        string.Join(", ", entries.Select((e, i) => e.RepoTags is { Count: > 0 } t ? string.Join(" ", t) : "@" + i));

    private static async Task<IBlob> LayerBlobAsync(string file, bool gzipped, TarMember member, Digest diffId, LayerOptions options, string? cacheDirectory, CancellationToken ct)
    {
        Stream OpenMember()
        {
            var s = OpenArchive(file, gzipped);
            TarScanner.Skip(s, member.DataOffset);
            return new RangeStream(s, member.Size);
        }

        bool alreadyCompressed;
        using (var probe = OpenMember())
        {
            var magic = new byte[2];
            alreadyCompressed = probe.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }
        if (alreadyCompressed || options.Compression == LayerCompression.None)
        {
            // Stored as is: an uncompressed member's digest is its diffID; a compressed one is hashed once now.
            Digest digest = diffId;
            if (alreadyCompressed)
            {
                using var s = OpenMember();
                using var h = diffId.CreateHasher();
                var buffer = new byte[1 << 18];
                int n;
                while ((n = await s.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0) h.AppendData(buffer, 0, n);
                digest = Digest.FromHash(diffId.Algorithm, h.GetHashAndReset());
            }
            var d = new Descriptor { MediaType = alreadyCompressed ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer, Digest = digest, Size = member.Size };
            return new ArchiveMemberBlob(d, OpenMember);
        }
        var fixedOptions = options with { Timestamp = DateTimeOffset.UnixEpoch }; // not used for compression; keeps the key stable
        var blob = await StreamedLayerBlob.CreateAsync(async (output, token) =>
        {
            await using var s = OpenMember();
            return await LayerWriter.CompressAsync(s, output, fixedOptions, token).ConfigureAwait(false);
        }, $"compress:{diffId}\n{fixedOptions.Fingerprint()}", cacheDirectory, ct).ConfigureAwait(false);
        if (blob.DiffId != diffId)
            throw new OciLayoutException($"layer '{member.Name}' in '{file}' hashes to {blob.DiffId}, but the config says {diffId}; the archive is corrupt");
        return blob;
    }

    private static string Clean(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
        return name.TrimStart('/');
    }

    private static bool IsGzip(string file)
    {
        using var f = File.OpenRead(file);
        return f.ReadByte() == 0x1f && f.ReadByte() == 0x8b;
    }

    private static Stream OpenArchive(string file, bool gzipped)
    {
        Stream s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return gzipped ? new BufferedStream(new GZipStream(s, CompressionMode.Decompress), 1 << 16) : s;
    }

    /// <summary>A blob that is one member of an archive, re-read from it on each open.</summary>
    private sealed class ArchiveMemberBlob(Descriptor descriptor, Func<Stream> open) : IBlob
    {
        public Descriptor Descriptor { get; } = descriptor;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => Task.FromResult(open());
    }
}
