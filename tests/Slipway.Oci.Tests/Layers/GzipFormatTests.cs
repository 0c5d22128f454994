using System.IO.Compression;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Layers;

/// <summary>The parallel gzip output is ONE member with our fixed header, whatever the chunking.</summary>
public class GzipFormatTests
{
    private static byte[] Text(int size, int seed)
    {
        var r = new Random(seed);
        var b = new byte[size];
        for (var i = 0; i < size; i++) b[i] = (byte)('a' + r.Next(0, 12));
        return b;
    }

    private static async Task<(byte[] Gz, LayerDigests D)> CompressAsync(byte[] input, LayerOptions o)
    {
        var ms = new MemoryStream();
        var d = await TarCompressor.CompressAsync(new MemoryStream(input), ms, o, default);
        return (ms.ToArray(), d);
    }

    [Theory]
    [InlineData(0)]            // empty input: just an empty final block
    [InlineData(1000)]         // smaller than a chunk
    [InlineData(3 << 16)]      // exactly three chunks: the last chunk is empty
    [InlineData((3 << 16) + 7)]
    public async Task Output_is_a_single_gzip_member_that_python_zlib_reads_whole(int size)
    {
        using var t = new TempDir("gz");
        var input = Text(size, size);
        var o = new LayerOptions { ChunkSize = 1 << 16, Parallelism = 3 };
        var (gz, d) = await CompressAsync(input, o);
        Assert.Equal(gz, (await CompressAsync(input, o with { Parallelism = 1 })).Gz);
        Assert.Equal(Digest.Sha256(gz), d.Digest);
        Assert.Equal(Digest.Sha256(input), d.DiffId);
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, gz[..10]);
        var file = t.Combine("x.gz");
        File.WriteAllBytes(file, gz);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("gzip", ["-t", file]));
        // zlib's decompressobj stops at the end of the first member: it must have seen everything, with nothing left.
        var py = await ToolRunner.RunCheckedAsync(new ToolInvocation("python3", ["-c",
            "import sys,zlib,hashlib;d=zlib.decompressobj(31);b=open(sys.argv[1],'rb').read();o=d.decompress(b);print(d.eof, len(d.unused_data), hashlib.sha256(o).hexdigest())", file])
        { CaptureStandardOutput = true });
        Assert.Equal($"True 0 {d.DiffId.Hex}", py.StandardOutput.Trim());
    }

    [Fact]
    public void Crc_of_a_concatenation_is_combined_from_the_parts()
    {
        var a = Text(100_000, 1);
        var b = Text(250_001, 2);
        Assert.Equal(Crc(a.Concat(b).ToArray()), Crc32Combine.Combine(Crc(a), Crc(b), b.Length));
        Assert.Equal(Crc(a), Crc32Combine.Combine(Crc(a), 0, 0));
        Assert.Equal(Crc(b), Crc32Combine.Combine(0, Crc(b), b.Length));
    }

    private static uint Crc(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, true)) gz.Write(data);
        return BitConverter.ToUInt32(ms.ToArray().AsSpan()[^8..]);
    }
}
