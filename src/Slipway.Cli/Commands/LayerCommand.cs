using Slipway.Oci.Layers;
using Slipway.Oci.Model;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway layer DIR --output FILE</c>: one deterministic layer, its digest and diffID printed.</summary>
internal static class LayerCommand
{
    /// <summary>Layer options from --level and --jobs for the named compression (shared with copy --recompress).</summary>
    internal static LayerOptions Options(CommandLine c, string compression, string option)
    {
        LayerCompression parsed;
        try { parsed = LayerCompressors.Parse(compression, option); }
        catch (ArgumentException e) { throw new Transports.UsageException(e.Message); }
        var options = new LayerOptions { Compression = parsed, Parallelism = c.GetInt("jobs", Environment.ProcessorCount, 1, 256) };
        return parsed switch
        {
            LayerCompression.Gzip => options with { CompressionLevel = c.GetInt("level", LayerCompressors.DefaultGzipLevel, 1, 9) },
            LayerCompression.Zstd => options with { CompressionLevel = c.GetInt("level", LayerCompressors.DefaultZstdLevel, 1, 19) },
            _ => options,
        };
    }

    public static async Task<int> RunAsync(CommandLine c, CancellationToken ct)
    {
        var dir = c.Positional(0, "a directory (layer DIR --output FILE)");
        c.ExpectPositionals(1);
        var output = c.Get("output") ?? throw new Transports.UsageException("layer needs --output FILE (use --output - for standard output)");
        if (!Directory.Exists(dir)) throw new Transports.UsageException($"'{dir}' is not a directory");
        var options = Options(c, c.Get("compression") ?? "gzip", "--compression");
        var entries = LayerWriter.EntriesFromDirectory(dir, c.Get("prefix") ?? "");
        LayerDigests digests;
        if (output == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            digests = await LayerWriter.WriteAsync(entries, stdout, options, ct);
            Console.Error.WriteLine($"digest: {digests.Digest}\ndiffID: {digests.DiffId}\nsize: {digests.Size}");
            return 0;
        }
        var tmp = output + ".tmp";
        await using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            digests = await LayerWriter.WriteAsync(entries, file, options, ct);
        File.Move(tmp, output, overwrite: true);
        Console.WriteLine($"digest: {digests.Digest}");
        Console.WriteLine($"diffID: {digests.DiffId}");
        Console.WriteLine($"size: {digests.Size}");
        Console.WriteLine($"mediaType: {digests.MediaType}");
        return 0;
    }
}
