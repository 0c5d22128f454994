using System.Text.Json;
using Slipway.Cli.Commands;
using Slipway.Cli.Transports;
using Slipway.Oci.Registry;
using Slipway.Tooling;

namespace Slipway.Cli;

public static class Program
{
    private const string Usage = """
        usage: slipway <command> [options]

        commands:
          copy SRC DST          copy an image (keeps its manifest digest)
          inspect REF           print an image's manifest and config summary as JSON
          tags docker://HOST/REPO
                                list a repository's tags as JSON
          layer DIR --output FILE
                                write a deterministic layer from DIR; prints its digest and diffID
          detect, build-source, source-bases, builder ...
                                source-to-image and the builder service (run by slipway-builder,
                                installed beside slipway; `slipway builder --help`)

        transports: oci:DIR[:REF]  docker-archive:FILE  docker://HOST/REPO[:TAG|@DIGEST]

        options:
          --jobs N              blob transfers at once (default 4)
          --creds USER:PASS     registry credentials (also --src-creds, --dest-creds)
          --insecure-registry HOST
                                use plain HTTP for HOST (loopback registries always do)
          --platform OS/ARCH    platform to pick from a multi-platform index
          --quiet, -q           copy: no progress on standard error (a live line on a terminal,
                                one line per blob otherwise)
          --raw, --config       inspect: print the raw manifest or config instead
          --recompress gzip|zstd
                                copy: every layer in that compression (same diffIDs, new digest)
          --compression gzip|zstd|none, --level N, --prefix PATH
                                layer: output format (level: gzip 1-9, default 6; zstd 1-19,
                                default 3) and where DIR lands in the image
        """;

    /// <summary>Verbs served by the JIT-hosted companion (MSBuild, RabbitMQ, Npgsql, Kubernetes need the full runtime).</summary>
    private static readonly HashSet<string> CompanionVerbs = ["detect", "build-source", "source-bases", "builder"];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && CompanionVerbs.Contains(args[0])) return await Companion.RunAsync(args);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            var parsed = CommandLine.Parse(args);
            if (parsed.Command is null or "help" || parsed.Has("help"))
            {
                Console.WriteLine(Usage);
                return parsed.Command is null && !parsed.Has("help") ? 2 : 0;
            }
            return parsed.Command switch
            {
                "copy" => await CopyCommand.RunAsync(parsed, cts.Token),
                "inspect" => await InspectCommand.RunAsync(parsed, cts.Token),
                "tags" => await TagsCommand.RunAsync(parsed, cts.Token),
                "layer" => await LayerCommand.RunAsync(parsed, cts.Token),
                _ => throw new UsageException($"unknown command '{parsed.Command}'. Available commands are: copy, inspect, tags, layer"),
            };
        }
        catch (UsageException e) { return Fail(e.Message, 2); }
        catch (OperationCanceledException) { return Fail("cancelled", 130); }
        catch (RegistryException e) { return Fail(e.Message, 1); }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or FormatException
                                      or ArgumentException or NotSupportedException or JsonException or UnauthorizedAccessException
                                      or HttpRequestException or InvalidOperationException)
        {
            var hint = e is HttpRequestException ? " (is the registry running and reachable?)" : "";
            return Fail(e.Message + hint, 1);
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("slipway: " + Secrets.Redact(message));
        return code;
    }
}
