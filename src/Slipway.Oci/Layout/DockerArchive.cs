using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layout;

/// <summary>
/// Reads <c>docker save</c> / Nix dockerTools tarballs (gzip'd or not) without unpacking them: the tar is indexed
/// once, and each layer is a blob that streams its segment of the archive when opened. Most docker-archive layers
/// are uncompressed tars whose digest is already the diffID, so the OCI image we make from them carries them as
/// <c>application/vnd.oci.image.layer.v1.tar</c> and needs no compression pass to know its digests; gzip and zstd
/// layers (told by their magic bytes) are carried as they are, with their own media type and digest.
/// For a gzip'd archive every open re-reads the archive up to that layer (no seeking in gzip).
/// </summary>
public sealed class DockerArchive
{
    private readonly string _path;
    private readonly bool _gzip;
    private readonly Dictionary<string, (long Offset, long Size)> _entries;

    private DockerArchive(string path, bool gzip, Dictionary<string, (long, long)> entries)
    {
        _path = path;
        _gzip = gzip;
        _entries = entries;
    }

    public static DockerArchive Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"docker-archive '{path}' does not exist", path);
        bool gzip;
        using (var probe = File.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[2];
            gzip = probe.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }
        var entries = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        using (var s = OpenRaw(path, gzip))
            foreach (var (name, offset, size) in TarIndex.Read(s, $"docker-archive '{path}'"))
                entries[Clean(name)] = (offset, size);
        return new DockerArchive(path, gzip, entries);
    }

    private static Stream OpenRaw(string path, bool gzip)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return gzip ? new GZipStream(fs, CompressionMode.Decompress) : fs;
    }

    /// <summary>The image named <paramref name="repoTag"/> (or the only one) as an OCI image.</summary>
    public OciImage ReadImage(string? repoTag = null)
    {
        var image = ReadManifest(name => _entries.ContainsKey(name) ? ReadSmall(name) : null, repoTag, $"docker-archive '{_path}'");
        var layers = new List<IBlob>();
        for (var i = 0; i < image.LayerNames.Count; i++)
        {
            var (offset, size) = Entry(image.LayerNames[i]);
            Descriptor descriptor;
            using (var layer = OpenAt(offset))
                descriptor = image.LayerDescriptor(i, layer, size, () => new BoundedReadStream(OpenAt(offset), size));
            layers.Add(new ArchiveLayerBlob(this, descriptor, offset));
        }
        return image.ToOciImage(layers);
    }

    /// <summary>
    /// Reads manifest.json and the config it names through <paramref name="readEntry"/> (entry name, without a
    /// leading "./", to its bytes, or null when absent) and checks the layer list against the config's diffIDs.
    /// The one reader of the docker-archive format, whether the archive is a file, a stream or an unpacked directory.
    /// </summary>
    public static DockerArchiveImage ReadManifest(Func<string, byte[]?> readEntry, string? repoTag, string what)
    {
        var manifestJson = readEntry("manifest.json")
            ?? throw new InvalidDataException($"{what} is not a docker-archive: it has no manifest.json");
        using var doc = JsonDocument.Parse(manifestJson);
        var images = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [];
        if (images.Count == 0) throw new InvalidDataException($"{what} holds no image");
        JsonElement chosen;
        if (repoTag is null)
        {
            if (images.Count > 1) throw new InvalidDataException($"{what} holds {images.Count} images; name one as docker-archive:PATH:NAME:TAG");
            chosen = images[0];
        }
        else
        {
            chosen = images.FirstOrDefault(i => i.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array && tags.EnumerateArray().Any(t => t.GetString() == repoTag));
            if (chosen.ValueKind == JsonValueKind.Undefined)
                throw new KeyNotFoundException($"{what} has no image tagged '{repoTag}'");
        }
        var configName = Clean(chosen.GetProperty("Config").GetString()!);
        var configBytes = readEntry(configName) ?? throw new InvalidDataException($"{what} names config '{configName}' but does not contain it");
        var config = OciJson.Deserialize<ImageConfig>(configBytes, $"{what}:{configName}");
        var layerNames = chosen.GetProperty("Layers").EnumerateArray().Select(e => Clean(e.GetString()!)).ToList();
        if (layerNames.Count != config.RootFs.DiffIds.Count)
            throw new InvalidDataException($"{what}: manifest.json lists {layerNames.Count} layers but the config has {config.RootFs.DiffIds.Count} diff_ids");
        return new DockerArchiveImage(configBytes, config, layerNames);
    }

    /// <summary>An archive entry name as manifest.json and the index use it: without a leading "./".</summary>
    public static string Clean(string name) => name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;

    /// <summary>
    /// Unpacks a docker-archive stream (e.g. the engine's image save) into <paramref name="directory"/> entry by
    /// entry and reads it: layers are the unpacked files, so nothing but the image's own files lands on disk.
    /// </summary>
    public static async Task<OciImage> UnpackAsync(Stream archive, string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        await using (var reader = new System.Formats.Tar.TarReader(archive))
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                var target = Path.GetFullPath(Path.Combine(root, Clean(entry.Name).TrimStart('/')));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new InvalidDataException($"the docker-archive has an entry outside its root: '{entry.Name}'");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await entry.DataStream.CopyToAsync(file, 1 << 17, cancellationToken);
            }
        var image = ReadManifest(name => File.Exists(Path.Combine(root, name)) ? File.ReadAllBytes(Path.Combine(root, name)) : null, null, $"docker-archive unpacked in '{root}'");
        return image.ToOciImage(image.LayerNames.Select((name, i) =>
        {
            var path = Path.Combine(root, name);
            using var layer = File.OpenRead(path);
            return (IBlob)new FileBlob(image.LayerDescriptor(i, layer, layer.Length, () => File.OpenRead(path)), path);
        }).ToList());
    }

    private (long Offset, long Size) Entry(string name) =>
        _entries.TryGetValue(name, out var e) ? e : throw new InvalidDataException($"docker-archive '{_path}' has no entry '{name}'");

    private byte[] ReadSmall(string name)
    {
        var (offset, size) = Entry(name);
        if (size > 16 << 20) throw new InvalidDataException($"'{name}' in '{_path}' is too large for a JSON document");
        using var s = OpenAt(offset);
        var buffer = new byte[size];
        s.ReadExactly(buffer);
        return buffer;
    }

    private Stream OpenAt(long offset)
    {
        var s = OpenRaw(_path, _gzip);
        if (s.CanSeek) s.Seek(offset, SeekOrigin.Begin);
        else
        {
            var skip = new byte[1 << 16];
            var left = offset;
            while (left > 0)
            {
                var n = s.Read(skip, 0, (int)Math.Min(skip.Length, left));
                if (n == 0) throw new EndOfStreamException($"docker-archive '{_path}' ended early");
                left -= n;
            }
        }
        return s;
    }

    /// <summary>
    /// Streams <paramref name="image"/> as a docker-archive tagged <paramref name="repoTag"/> (what
    /// <c>docker load</c> / <c>POST /images/load</c> reads): manifest.json, the config and each layer blob as it is
    /// (Docker decompresses gzip'd layers itself and checks them against the config's diffIDs). Nothing is
    /// buffered beyond one copy chunk, so an image goes to a daemon without a tarball on disk.
    /// </summary>
    public static async Task WriteAsync(OciImage image, string repoTag, Stream output, CancellationToken cancellationToken)
    {
        string Name(Descriptor d, string ext) => d.Digest.Hex + ext;
        var configName = Name(image.Config.Descriptor, ".json");
        var layerNames = image.Layers.Select(l => Name(l.Descriptor, ".tar")).ToList();
        var manifest = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new System.Text.Json.Nodes.JsonArray(repoTag),
            ["Layers"] = new System.Text.Json.Nodes.JsonArray(layerNames.Select(n => (System.Text.Json.Nodes.JsonNode)n!).ToArray()),
        });
        await WriteEntryAsync(output, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()), cancellationToken);
        await WriteBlobEntryAsync(output, configName, image.Config, cancellationToken);
        var written = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < image.Layers.Count; i++)
            if (written.Add(layerNames[i])) await WriteBlobEntryAsync(output, layerNames[i], image.Layers[i], cancellationToken);
        await output.WriteAsync(new byte[1024], cancellationToken); // two zero blocks end the archive
        await output.FlushAsync(cancellationToken);
    }

    private static async Task WriteEntryAsync(Stream output, string name, byte[] data, CancellationToken ct)
    {
        await output.WriteAsync(TarIndex.Header(name, data.Length), ct);
        await output.WriteAsync(data, ct);
        await output.WriteAsync(new byte[TarIndex.Pad(data.Length)], ct);
    }

    private static async Task WriteBlobEntryAsync(Stream output, string name, IBlob blob, CancellationToken ct)
    {
        var size = blob.Descriptor.Size;
        await output.WriteAsync(TarIndex.Header(name, size), ct);
        await using (var source = await blob.OpenReadAsync(ct))
        {
            var buffer = new byte[1 << 17];
            long copied = 0;
            int n;
            while ((n = await source.ReadAsync(buffer, ct)) > 0)
            {
                copied += n;
                if (copied > size) break;
                await output.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            if (copied != size)
                throw new InvalidDataException($"blob {blob.Descriptor.Digest} yielded {(copied > size ? "more than" : copied.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes of")} the {size} bytes its descriptor promises");
        }
        await output.WriteAsync(new byte[TarIndex.Pad(size)], ct);
    }

    private sealed class ArchiveLayerBlob(DockerArchive archive, Descriptor descriptor, long offset) : IBlob
    {
        public Descriptor Descriptor => descriptor;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new VerifyingReadStream(new BoundedReadStream(archive.OpenAt(offset), descriptor.Size), descriptor));
    }
}

/// <summary>One image of a docker-archive as manifest.json names it, already checked against its config.</summary>
public sealed record DockerArchiveImage(byte[] ConfigBytes, ImageConfig Config, IReadOnlyList<string> LayerNames)
{
    /// <summary>Layer i's diffID: for an uncompressed layer (most docker-archives) also the layer's digest.</summary>
    public IReadOnlyList<Digest> DiffIds => Config.RootFs.DiffIds;

    /// <summary>
    /// Layer <paramref name="index"/>'s descriptor, told by its magic bytes (read from <paramref name="start"/>):
    /// an uncompressed layer is an OCI tar layer whose digest is its diffID; a gzip or zstd layer is carried as it
    /// is, with its own media type and a digest named by its path when the archive is OCI-shaped
    /// (blobs/sha256/HEX, as docker 25+ saves; checked when the blob is read), else one hashing pass over it.
    /// </summary>
    public Descriptor LayerDescriptor(int index, Stream start, long size, Func<Stream> openBytes)
    {
        Span<byte> magic = stackalloc byte[4];
        var n = start.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        var compression = Layers.LayerCompressors.Sniff(magic[..n]);
        Digest digest;
        const string prefix = "blobs/sha256/";
        if (compression == LayerCompression.None) digest = DiffIds[index];
        else if (LayerNames[index].StartsWith(prefix, StringComparison.Ordinal) && Digest.TryParse("sha256:" + LayerNames[index][prefix.Length..], out var named)) digest = named;
        else
        {
            using var bytes = openBytes();
            digest = Digest.FromHash("sha256", System.Security.Cryptography.SHA256.HashData(bytes));
        }
        return new Descriptor { MediaType = MediaTypes.OciLayerFor(compression), Digest = digest, Size = size };
    }

    /// <summary>The OCI image with these layers (uncompressed OCI layers, digest = diffID).</summary>
    public OciImage ToOciImage(IReadOnlyList<IBlob> layers)
    {
        var configBlob = new BytesBlob(MediaTypes.OciConfig, ConfigBytes);
        var manifest = new ImageManifest { Config = configBlob.Descriptor, Layers = layers.Select(l => l.Descriptor).ToList() };
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
    }
}

/// <summary>Minimal tar indexer: entry name → data offset and size (ustar, PAX and GNU long names).</summary>
internal static class TarIndex
{
    public static IEnumerable<(string Name, long Offset, long Size)> Read(Stream s, string what)
    {
        var header = new byte[512];
        long pos = 0;
        string? longName = null;
        while (true)
        {
            if (s.ReadAtLeast(header, 512, throwOnEndOfStream: false) < 512) yield break;
            pos += 512;
            if (header.All(b => b == 0)) yield break;
            var name = Cstr(header, 0, 100);
            var prefix = Cstr(header, 345, 155);
            if (prefix.Length > 0 && header[257] == (byte)'u') name = prefix + "/" + name;
            var size = Octal(header, 124, 12, what);
            var type = (char)header[156];
            var dataOffset = pos;
            if (type is 'x' or 'L')
            {
                var data = new byte[size];
                s.ReadExactly(data);
                pos += size;
                Skip(s, Pad(size), ref pos);
                if (type == 'L') longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                else foreach (var record in Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var kv = record[(record.IndexOf(' ') + 1)..];
                        if (kv.StartsWith("path=", StringComparison.Ordinal)) longName = kv[5..];
                    }
                continue;
            }
            if (longName is not null) { name = longName; longName = null; }
            if (type is '0' or '\0' or '7') yield return (name, dataOffset, size);
            Skip(s, size + Pad(size), ref pos);
        }
    }

    internal static long Pad(long size) => (512 - size % 512) % 512;

    /// <summary>A ustar header for a regular file (mode 0644, uid/gid 0, mtime 0); names here are short digests.</summary>
    internal static byte[] Header(string name, long size)
    {
        var h = new byte[512];
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100) throw new ArgumentException($"tar entry name '{name}' is longer than 100 bytes", nameof(name));
        nameBytes.CopyTo(h, 0);
        void Field(int off, int len, long value) => Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(len - 1, '0')).CopyTo(h, off);
        Field(100, 8, Convert.ToInt64("644", 8));
        Field(108, 8, 0);
        Field(116, 8, 0);
        Field(124, 12, size); // 11 octal digits: up to 8 GiB, more than any layer here
        Field(136, 12, 0);
        h[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(h, 257);
        for (var i = 148; i < 156; i++) h[i] = (byte)' ';
        var sum = h.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(h, 148);
        return h;
    }

    private static void Skip(Stream s, long count, ref long pos)
    {
        if (count == 0) return;
        if (s.CanSeek) s.Seek(count, SeekOrigin.Current);
        else
        {
            var buf = new byte[Math.Min(count, 1 << 16)];
            var left = count;
            while (left > 0)
            {
                var n = s.Read(buf, 0, (int)Math.Min(buf.Length, left));
                if (n == 0) throw new EndOfStreamException("tar ended early");
                left -= n;
            }
        }
        pos += count;
    }

    private static string Cstr(byte[] b, int off, int len)
    {
        var end = Array.IndexOf(b, (byte)0, off, len);
        return Encoding.UTF8.GetString(b, off, (end < 0 ? off + len : end) - off);
    }

    private static long Octal(byte[] b, int off, int len, string what)
    {
        if ((b[off] & 0x80) != 0) // base-256 for large sizes
        {
            long v = b[off] & 0x7f;
            for (var i = 1; i < len; i++) v = (v << 8) | b[off + i];
            return v;
        }
        var s = Cstr(b, off, len).Trim(' ', '\0');
        try { return s.Length == 0 ? 0 : Convert.ToInt64(s, 8); }
        catch (FormatException) { throw new InvalidDataException($"{what} is not a valid tar archive (bad size field '{s}')"); }
    }
}

/// <summary>Reads at most <c>length</c> bytes of the inner stream, which it owns.</summary>
internal sealed class BoundedReadStream(Stream inner, long length) : Stream
{
    private long _left = length;
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0) return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_left <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], ct);
        _left -= n;
        return n;
    }
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => length - _left; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
