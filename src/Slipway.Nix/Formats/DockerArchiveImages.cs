using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Nix.Layers;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Nix.Formats;

/// <summary>
/// dockerTools outputs: a docker-archive tarball in the store (buildImage, buildLayeredImage) or a script that
/// prints one (streamLayeredImage). Their layers are uncompressed tars; Slipway gzips them deterministically, with
/// the compressed digest remembered per diffID, so an unchanged layer is a HEAD and nothing more.
/// </summary>
public static class DockerArchiveImages
{
    /// <summary>A docker-archive file (gzip'd or not), read in place: no copy, no unpacking.</summary>
    public static async Task<OciImage> FromFileAsync(string path, StoreLayers store, CancellationToken cancellationToken)
    {
        var source = DockerArchive.Open(path).ReadImage();
        var layers = new List<(IBlob, Digest)>();
        foreach (var layer in source.Layers)
        {
            var blob = await RecompressedLayerBlob.FromLayerAsync(layer, null, store.Options, store.CacheDirectory, cancellationToken);
            layers.Add((blob, blob.Digests.DiffId));
        }
        return WithLayers(source.Config, layers.Select(l => l.Item1).ToList());
    }

    /// <summary>
    /// A streamLayeredImage script: run once to learn every layer's diffID (hashing as it streams; nothing is
    /// stored), once more only if some layer's compressed digest is not known yet, and again for each layer that
    /// a registry actually lacks at upload time.
    /// </summary>
    public static async Task<OciImage> FromStreamScriptAsync(string script, StoreLayers store, Action<string> log, CancellationToken cancellationToken)
    {
        var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var hashed = new Dictionary<string, Digest>(StringComparer.Ordinal);
        await using (var run = await ScriptOutput.StartAsync(script, log, cancellationToken))
        {
            await using var reader = new TarReader(run.Stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                var name = DockerArchive.Clean(entry.Name);
                if (name.EndsWith(".json", StringComparison.Ordinal) && entry.Length < 16 << 20)
                {
                    var buffer = new MemoryStream();
                    await entry.DataStream.CopyToAsync(buffer, cancellationToken);
                    small[name] = buffer.ToArray();
                }
                else
                {
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var chunk = new byte[1 << 17];
                    int n;
                    while ((n = await entry.DataStream.ReadAsync(chunk, cancellationToken)) > 0) sha.AppendData(chunk, 0, n);
                    hashed[name] = Digest.FromHash("sha256", sha.GetHashAndReset());
                }
            }
            await run.WaitAsync(cancellationToken);
        }
        var archive = DockerArchive.ReadManifest(name => small.GetValueOrDefault(name), null, $"the output of '{script}'");
        var configBytes = archive.ConfigBytes;
        var layerNames = archive.LayerNames;
        var config = archive.Config;
        var digests = new Dictionary<string, LayerDigests>(StringComparer.Ordinal);
        for (var i = 0; i < layerNames.Count; i++)
        {
            var name = layerNames[i];
            if (!hashed.TryGetValue(name, out var diffId)) throw new InvalidDataException($"'{script}' output names layer '{name}' but does not contain it");
            if (diffId != config.RootFs.DiffIds[i])
                throw new InvalidDataException($"'{script}': layer '{name}' has digest {diffId} but the config says {config.RootFs.DiffIds[i]} (compressed layers inside the archive are not supported)");
            if (RecompressedLayerBlob.Lookup(store.CacheDirectory, diffId, store.Options) is { } known) digests[name] = known;
        }
        var missing = layerNames.Where(n => !digests.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            log($"compressing {missing.Count} new layer(s) of {Path.GetFileName(script)} to learn their digests");
            await using var run = await ScriptOutput.StartAsync(script, log, cancellationToken);
            await using var reader = new TarReader(run.Stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var name = DockerArchive.Clean(entry.Name);
                if (!missing.Contains(name) || entry.DataStream is null) continue;
                var d = await TarCompressor.DigestAsync(entry.DataStream, store.Options, cancellationToken);
                RecompressedLayerBlob.Store(store.CacheDirectory, d, store.Options);
                digests[name] = d;
            }
            await run.WaitAsync(cancellationToken);
        }
        var layers = layerNames.Select(name =>
            (IBlob)RecompressedLayerBlob.FromDigests(ct => OpenEntryAsync(script, name, log, ct), store.Options, digests[name])).ToList();
        return WithLayers(new BytesBlob(MediaTypes.OciConfig, configBytes), layers);
    }

    /// <summary>Runs the script again and returns just one entry's bytes, stopping the script when closed.</summary>
    private static async Task<Stream> OpenEntryAsync(string script, string name, Action<string> log, CancellationToken ct)
    {
        var run = await ScriptOutput.StartAsync(script, log, ct);
        var reader = new TarReader(run.Stream);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            if (DockerArchive.Clean(entry.Name) == name && entry.DataStream is not null)
                return new OwningStream(entry.DataStream, reader, run);
        await reader.DisposeAsync();
        await run.DisposeAsync();
        throw new InvalidDataException($"'{script}' no longer prints layer '{name}': its output changed between runs (is it deterministic?)");
    }

    private static OciImage WithLayers(IBlob config, IReadOnlyList<IBlob> layers)
    {
        var manifest = new ImageManifest { Config = config.Descriptor with { MediaType = MediaTypes.OciConfig }, Layers = layers.Select(l => l.Descriptor).ToList() };
        var configBlob = config.Descriptor.MediaType == MediaTypes.OciConfig ? config : new RetypedBlob(config, MediaTypes.OciConfig);
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
    }

    private sealed class RetypedBlob(IBlob inner, string mediaType) : IBlob
    {
        public Descriptor Descriptor { get; } = inner.Descriptor with { MediaType = mediaType };
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => inner.OpenReadAsync(cancellationToken);
    }

    /// <summary>Reads one tar entry; closing it closes the tar reader and stops the script.</summary>
    private sealed class OwningStream(Stream inner, TarReader reader, ScriptOutput run) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await run.DisposeAsync();
            await base.DisposeAsync();
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing) { reader.Dispose(); run.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            base.Dispose(disposing);
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A running stream script: its stdout as a stream, its stderr to the log; stopped if closed early.</summary>
internal sealed class ScriptOutput : IAsyncDisposable
{
    private readonly RunningTool _run;
    private readonly string _script;

    private ScriptOutput(RunningTool run, string script)
    {
        _run = run;
        _script = script;
    }

    public Stream Stream => _run.StandardOutput;

    public static async Task<ScriptOutput> StartAsync(string script, Action<string> log, CancellationToken ct)
    {
        try
        {
            return new ScriptOutput(await ToolRunner.StartWithStdoutAsync(new ToolInvocation(script, []) { OnLine = log }, ct), script);
        }
        catch (ToolException e)
        {
            throw new InvalidOperationException($"could not run stream script '{script}': {e.Message}", e);
        }
    }

    /// <summary>Drains what is left and fails when the script did.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        try { await _run.WaitAsync(ct); }
        catch (ToolException e) { throw new InvalidOperationException($"stream script '{_script}' exited with code {e.Result.ExitCode}", e); }
    }

    public ValueTask DisposeAsync() => _run.DisposeAsync();
}
