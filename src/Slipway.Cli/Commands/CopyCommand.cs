using System.Diagnostics;
using Slipway.Cli.Progress;
using Slipway.Cli.Transports;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Publishing;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway copy SRC DST</c>: reads any source as an <see cref="OciImage"/> and publishes it unchanged, or with
/// every layer in one compression (<c>--recompress gzip|zstd</c>; diffIDs and config kept, manifest digest new).
/// </summary>
internal static class CopyCommand
{
    public static async Task<int> RunAsync(CommandLine c, CancellationToken ct)
    {
        var src = ImageLocation.Parse(c.Positional(0, "a source image (SRC DST)"));
        var dst = ImageLocation.Parse(c.Positional(1, "a destination image (SRC DST)"));
        c.ExpectPositionals(2);
        using var session = RegistryOptions.Session(c, src, dst);
        var sw = Stopwatch.StartNew();
        var image = await src.ReadAsync(session, RegistryOptions.PlatformOf(c), ct);
        if (c.Get("recompress") is { } compression)
        {
            // Layer digests must be known before the manifest exists: one compress pass per layer now, and the
            // same bytes regenerated while uploading (memory stays flat; a registry source is read twice).
            var options = LayerCommand.Options(c, compression, "--recompress");
            if (!c.Has("quiet")) Console.Error.WriteLine($"recompressing {image.Layers.Count} layer(s) to {compression}");
            image = await Recompression.RecompressAsync(image, options, null, ct);
        }
        using var progress = c.Has("quiet") ? null
            : new CopyProgress(Console.Error, CopyProgress.IsTerminal(), image.Blobs.Select(b => b.Descriptor).DistinctBy(d => d.Digest).ToList());
        var (destination, tags) = dst switch
        {
            RegistryLocation r => ((IImageDestination)new RegistryDestination(r.Reference with { Tag = null, Digest = null }, session, progress),
                r.Reference.Digest is { } d
                    ? d == image.Digest ? Array.Empty<string>() : throw new UsageException($"destination digest {d} differs from the source's {image.Digest}; drop '@{d}' or copy the matching image")
                    : [r.Reference.Tag ?? "latest"]),
            LayoutLocation l => (new OciLayoutDestination(l.Directory, c.GetInt("jobs", 4, 1, 64), progress), new[] { l.Ref ?? "latest" }),
            _ => throw new UsageException($"'{dst}' can't be written; copy into oci:DIR[:REF] or docker://HOST/REPO[:TAG]"),
        };
        var result = await destination.PublishAsync(image, tags, ct);
        progress?.Dispose(); // the status line goes before the summary is printed
        Console.WriteLine($"Copied {src} -> {dst}");
        Console.WriteLine($"  digest  {result.Digest}");
        Console.WriteLine($"  blobs   {result.BlobsUploaded} sent ({Size(result.BytesUploaded)}), {result.BlobsSkipped} already there, {result.BlobsMounted} mounted");
        Console.WriteLine($"  time    {sw.Elapsed.TotalSeconds:0.00} s");
        return 0;
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} KiB",
        < 1 << 30 => $"{bytes / 1048576.0:0.0} MiB",
        _ => $"{bytes / 1073741824.0:0.00} GiB",
    };
}
