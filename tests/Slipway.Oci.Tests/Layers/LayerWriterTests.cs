using System.Security.Cryptography;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Layers;

public class LayerWriterTests
{
    private static async Task<(byte[] Bytes, LayerDigests Digests)> BuildAsync(string dir, LayerOptions? options = null)
    {
        var ms = new MemoryStream();
        var d = await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(dir), ms, options ?? new LayerOptions(), CancellationToken.None);
        return (ms.ToArray(), d);
    }

    private static void Populate(TempDir t, bool reverse)
    {
        var files = new[] { "b/z.txt", "a/one.txt", "a/deep/two.txt", "c.bin" };
        foreach (var f in reverse ? files.Reverse() : files) t.Write("root/" + f, "content of " + f);
        File.SetUnixFileMode(t.Combine("root", "c.bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(t.Combine("root", "link"), "a/one.txt");
    }

    [Fact]
    public async Task Same_tree_created_in_different_orders_gives_identical_bytes()
    {
        using var t1 = new TempDir();
        using var t2 = new TempDir();
        Populate(t1, reverse: false);
        Populate(t2, reverse: true);
        var (a, da) = await BuildAsync(t1.Combine("root"));
        var (b, db) = await BuildAsync(t2.Combine("root"));
        Assert.Equal(a, b);
        Assert.Equal(da, db);
        Assert.Equal(Digest.Sha256(a), da.Digest);
        Assert.Equal(a.Length, da.Size);
    }

    [Fact]
    public async Task Parallel_chunks_give_the_same_bytes_as_one_thread_and_decompress_with_gzip_and_tar()
    {
        using var t = new TempDir();
        var big = new byte[3 << 20];
        new Random(7).NextBytes(big.AsSpan(0, big.Length / 2)); // half random, half zeros: several chunks, compressible
        Directory.CreateDirectory(t.Combine("root", "data"));
        await File.WriteAllBytesAsync(t.Combine("root", "data", "big.bin"), big);
        var small = new LayerOptions { ChunkSize = 1 << 20, Parallelism = 1 };
        var (one, d1) = await BuildAsync(t.Combine("root"), small);
        var (many, d2) = await BuildAsync(t.Combine("root"), small with { Parallelism = 4 });
        Assert.Equal(one, many);
        Assert.Equal(d1.DiffId, d2.DiffId);

        var layer = t.Combine("layer.tar.gz");
        await File.WriteAllBytesAsync(layer, many);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("gzip", ["-t", layer]));
        var list = await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-tzvf", layer]) { CaptureStandardOutput = true });
        Assert.Contains("data/big.bin", list.StandardOutput);
        Assert.Contains("1970-01-01", list.StandardOutput);
        Assert.Contains("0/0", list.StandardOutput);
        // The diffID is the sha256 of the decompressed tar, as registries and runtimes check it.
        var tar = await ToolRunner.RunCheckedAsync(new ToolInvocation("sh", ["-c", $"gzip -dc {layer} | sha256sum"]) { CaptureStandardOutput = true });
        Assert.StartsWith(d2.DiffId.Hex, tar.StandardOutput);
    }

    [Fact]
    public async Task Explicit_parents_ordinal_order_modes_and_links_are_kept()
    {
        using var t = new TempDir();
        Populate(t, false);
        var (bytes, _) = await BuildAsync(t.Combine("root"), new LayerOptions { Compression = LayerCompression.None });
        var path = t.Combine("l.tar");
        await File.WriteAllBytesAsync(path, bytes);
        var list = (await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-tvf", path]) { CaptureStandardOutput = true })).StandardOutput;
        var names = list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]).ToList();
        Assert.Equal(["a/", "a/deep/", "a/deep/two.txt", "a/one.txt", "b/", "b/z.txt", "c.bin", "link"], names);
        Assert.Contains("-rwx------", list);
        Assert.Contains("link -> a/one.txt", list);
    }

    [Fact]
    public async Task Timestamp_comes_from_the_options_and_hard_links_are_stored_once()
    {
        using var t = new TempDir();
        t.Write("root/x", new string('x', 5000));
        ToolRunner.RunCheckedAsync(new ToolInvocation("ln", [t.Combine("root", "x"), t.Combine("root", "y")])).GetAwaiter().GetResult();
        var (bytes, _) = await BuildAsync(t.Combine("root"), new LayerOptions { Compression = LayerCompression.None, Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000) });
        var path = t.Combine("l.tar");
        await File.WriteAllBytesAsync(path, bytes);
        var list = (await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-tvf", path, "--utc"]) { CaptureStandardOutput = true })).StandardOutput;
        Assert.Contains("2023-11-14", list);
        Assert.Contains("y link to x", list);
        Assert.True(bytes.Length < 5000 * 2, "the hard link must not repeat the file's bytes");
    }

    [Fact]
    public async Task Entries_escaping_the_root_are_refused_with_the_path_named()
    {
        using var t = new TempDir();
        var f = t.Write("f", "x");
        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => LayerWriter.WriteAsync([LayerEntry.File("../etc/passwd", f)], Stream.Null, new LayerOptions(), default));
        Assert.Contains("../etc/passwd", e1.Message);
        var e2 = await Assert.ThrowsAsync<ArgumentException>(() => LayerWriter.WriteAsync([LayerEntry.Symlink("a/b", "../../outside")], Stream.Null, new LayerOptions(), default));
        Assert.Contains("points outside the image root", e2.Message);
    }

    [Fact]
    public async Task Streamed_blob_regenerates_the_bytes_it_hashed_and_caches_digests_by_key()
    {
        using var t = new TempDir();
        t.Write("root/a.txt", "hello");
        var cache = t.Combine("cache");
        var entries = () => LayerWriter.EntriesFromDirectory(t.Combine("root"), "opt/app");
        var blob = await StreamedLayerBlob.CreateAsync(entries, new LayerOptions(), "key-1", cache);
        Assert.Single(Directory.GetFiles(cache));
        using var ms = new MemoryStream();
        await using (var s = await blob.OpenReadAsync(default)) await s.CopyToAsync(ms);
        Assert.Equal(blob.Descriptor.Digest, Digest.Sha256(ms.ToArray()));
        var again = await StreamedLayerBlob.CreateAsync(entries, new LayerOptions(), "key-1", cache);
        Assert.Equal(blob.Descriptor, again.Descriptor);
        Assert.Equal(blob.DiffId, again.DiffId);
    }

    [Fact]
    public void Cache_keys_name_the_deflate_encoder_so_another_runtime_never_reuses_a_digest()
    {
        // The native CLI (.NET 9's zlib-ng) and a build run (.NET 10's) encode tar bytes differently at level 6;
        // the id is what keeps their cached digests apart. Here: stable within a process, distinct per level.
        var gzip6 = LayerOptions.CompressorId(LayerCompression.Gzip, 6);
        Assert.Matches("^[0-9a-f]{16}$", gzip6);
        Assert.Equal(gzip6, LayerOptions.CompressorId(LayerCompression.Gzip, 6));
        Assert.NotEqual(LayerOptions.CompressorId(LayerCompression.Gzip, 1), gzip6);
        Assert.Contains(gzip6, new LayerOptions().EncodingKey);
        Assert.NotEqual(new LayerOptions().EncodingKey, new LayerOptions { CompressionLevel = 9 }.EncodingKey);
        // zstd keys on its own encoder (the ZstdSharp package's), never on zlib's.
        var zstd3 = LayerOptions.CompressorId(LayerCompression.Zstd, 3);
        Assert.Matches("^[0-9a-f]{16}$", zstd3);
        Assert.NotEqual(gzip6, zstd3);
        Assert.Contains(zstd3, new LayerOptions { Compression = LayerCompression.Zstd }.EncodingKey);
        Assert.NotEqual(new LayerOptions { Compression = LayerCompression.Zstd }.EncodingKey, new LayerOptions().EncodingKey);
    }
}
