using Slipway.Oci.Layers;
using Slipway.Oci.Model;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway layer DIR --output FILE</c>: one deterministic layer, its digest and diffID printed.</summary>
internal static class LayerCommand
{
    public static async Task<int> RunAsync(CommandLine c, CancellationToken ct)
    {
        var dir = c.Positional(0, "a directory (layer DIR --output FILE)");
        c.ExpectPositionals(1);
        var output = c.Get("output") ?? throw new Transports.UsageException("layer needs --output FILE (use --output - for standard output)");
        if (!Directory.Exists(dir)) throw new Transports.UsageException($"'{dir}' is not a directory");
        var compression = c.Get("compression") switch
        {
            null or "gzip" => LayerCompression.Gzip,
            "none" => LayerCompression.None,
            var other => throw new Transports.UsageException($"--compression '{other}' is not supported. Available are: gzip, none"),
        };
        var options = new LayerOptions
        {
            Compression = compression,
            CompressionLevel = c.GetInt("level", 6, 1, 9),
            Parallelism = c.GetInt("jobs", Environment.ProcessorCount, 1, 256),
        };
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
