using System.Text.Json;
using Slipway.Nix.Layers;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;

namespace Slipway.Nix.Formats;

public enum NixOutputKind { DockerArchive, StreamScript, Nix2Container, SlipwayClosure, OciLayout }

/// <summary>Recognises what a Nix image build produced and turns it into an image without writing a tarball.</summary>
public static class NixOutput
{
    public static NixOutputKind Detect(string outPath)
    {
        if (Directory.Exists(outPath))
        {
            if (File.Exists(Path.Combine(outPath, "index.json")) && File.Exists(Path.Combine(outPath, "oci-layout"))) return NixOutputKind.OciLayout;
            throw Unsupported(outPath, "a directory without index.json and oci-layout");
        }
        if (!File.Exists(outPath)) throw new FileNotFoundException($"nix output '{outPath}' does not exist", outPath);
        var head = new byte[512];
        int n;
        using (var f = File.OpenRead(outPath)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return NixOutputKind.DockerArchive;
        if (n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8)) return NixOutputKind.DockerArchive;
        var firstNonSpace = head.AsSpan(0, n).IndexOfAnyExcept(" \t\r\n"u8);
        if (firstNonSpace >= 0 && head[firstNonSpace] == (byte)'{')
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(outPath));
            if (ClosureImage.Looks(doc.RootElement)) return NixOutputKind.SlipwayClosure;
            if (Nix2ContainerImage.Looks(doc.RootElement)) return NixOutputKind.Nix2Container;
            throw Unsupported(outPath, "JSON that is neither a nix2container image nor a Slipway nix/image.nix image");
        }
        var executable = (File.GetUnixFileMode(outPath) & UnixFileMode.UserExecute) != 0;
        var isScript = n >= 2 && head[0] == (byte)'#' && head[1] == (byte)'!';
        var isElf = n >= 4 && head[0] == 0x7f && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F';
        if (executable && (isScript || isElf))
            return NixOutputKind.StreamScript;
        throw Unsupported(outPath, executable ? "an executable that is neither a script nor an ELF binary" : "a file of unknown format");
    }

    private static InvalidDataException Unsupported(string path, string what) => new(
        $"nix output '{path}' is {what}. Accepted outputs: a docker-archive tarball (dockerTools.buildImage / buildLayeredImage, gzip'd or not), " +
        "a streamLayeredImage script, a nix2container image JSON (nix2container.buildImage), the JSON of Slipway's nix/image.nix, or an OCI layout directory");

    public static async Task<OciImage> ReadAsync(string outPath, StoreLayers store, Action<string> log, CancellationToken cancellationToken)
    {
        var kind = Detect(outPath);
        log($"{outPath} is a {kind switch
        {
            NixOutputKind.DockerArchive => "docker-archive",
            NixOutputKind.StreamScript => "stream script",
            NixOutputKind.Nix2Container => "nix2container image JSON",
            NixOutputKind.SlipwayClosure => "Slipway closure image JSON",
            _ => "OCI layout",
        }}");
        return kind switch
        {
            NixOutputKind.DockerArchive => await DockerArchiveImages.FromFileAsync(outPath, store, cancellationToken),
            NixOutputKind.StreamScript => await DockerArchiveImages.FromStreamScriptAsync(outPath, store, log, cancellationToken),
            NixOutputKind.Nix2Container => await Nix2ContainerImage.Parse(await File.ReadAllBytesAsync(outPath, cancellationToken), outPath).ToOciImageAsync(store, outPath, cancellationToken),
            NixOutputKind.SlipwayClosure => await ClosureImage.Parse(await File.ReadAllBytesAsync(outPath, cancellationToken), outPath).ToOciImageAsync(store, cancellationToken),
            _ => OciLayout.Open(outPath).ReadImage(null, Slipway.Oci.Model.Platform.Current),
        };
    }
}
