using System.IO.Compression;
using System.Security.Cryptography;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests;

public class LayerTests
{
    private static readonly LayerOptions Options = new() { Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000) };

    private static void MakeTree(TempDir t, string root, bool reverse)
    {
        var files = new[] { "b/z.txt", "a/x.txt", "a-b/y", "a/sub/deep.bin", "c.txt" };
        if (reverse) Array.Reverse(files);
        foreach (var f in files)
        {
            var p = Path.Combine(t.Path, root, f);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, "content of " + f + new string('x', f.Length * 1000));
        }
        var bin = Path.Combine(t.Path, root, "a/sub/deep.bin");
        File.WriteAllBytes(bin, RandomNumberGenerator.GetBytes(0).Length == 0 ? Deterministic(3 << 20) : []);
        File.SetUnixFileMode(bin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.CreateSymbolicLink(Path.Combine(t.Path, root, "link"), "a/x.txt");
        File.CreateSymbolicLink(Path.Combine(t.Path, root, "abs"), "/etc/passwd");
        using var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(t.Path, root, "a/x.txt"), Path.Combine(t.Path, root, "b/hard")]);
        ln.WaitForExit();
    }

    /// <summary>Compressible but not trivially so: several chunks of pseudo-random text.</summary>
    private static byte[] Deterministic(int size)
    {
        var r = new Random(42);
        var b = new byte[size];
        for (var i = 0; i < size; i++) b[i] = (byte)('a' + r.Next(0, 12));
        return b;
    }

    private static async Task<(LayerDigests, byte[])> Build(IEnumerable<LayerEntry> entries, LayerOptions o)
    {
        var ms = new MemoryStream();
        var d = await LayerWriter.WriteAsync(entries, ms, o, default);
        return (d, ms.ToArray());
    }

    [Fact]
    public async Task Same_tree_built_in_different_creation_orders_gives_identical_bytes_at_any_parallelism()
    {
        using var t = new TempDir("layer");
        MakeTree(t, "one", reverse: false);
        MakeTree(t, "two", reverse: true);
        var (d1, b1) = await Build(LayerWriter.EntriesFromDirectory(t.Combine("one")), Options with { Parallelism = 1 });
        var (d2, b2) = await Build(LayerWriter.EntriesFromDirectory(t.Combine("two")), Options with { Parallelism = 8 });
        var (d3, b3) = await Build(LayerWriter.EntriesFromDirectory(t.Combine("two")), Options with { Parallelism = 2 });
        Assert.Equal(b1, b2);
        Assert.Equal(b2, b3);
        Assert.Equal(d1, d2);
        Assert.Equal(Digest.Sha256(b1), d1.Digest);
        Assert.Equal(b1.Length, d1.Size);
        Assert.Equal(MediaTypes.OciLayerGzip, d1.MediaType);
        using var gunzip = new GZipStream(new MemoryStream(b1), CompressionMode.Decompress);
        var tar = new MemoryStream();
        gunzip.CopyTo(tar);
        Assert.Equal(Digest.Sha256(tar.ToArray()), d1.DiffId);
    }

    [Fact]
    public async Task Gzip_output_is_accepted_by_gzip_and_tar_and_lists_entries_in_order_with_links()
    {
        using var t = new TempDir("layer");
        MakeTree(t, "src", reverse: false);
        var file = t.Combine("layer.tar.gz");
        await using (var f = File.Create(file))
            await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(t.Combine("src"), "app"), f, Options, default);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("gzip", ["-t", file]));
        var list = await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-tvzf", file, "--numeric-owner"]) { CaptureStandardOutput = true });
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]).ToList();
        Assert.Equal(["app/", "app/a/", "app/a/sub/", "app/a/sub/deep.bin", "app/a/x.txt", "app/a-b/", "app/a-b/y", "app/abs", "app/b/", "app/b/hard", "app/b/z.txt", "app/c.txt", "app/link"], names);
        Assert.All(lines, l => Assert.Contains(" 0/0 ", l));
        Assert.Contains(lines, l => l.Contains("app/b/hard link to app/a/x.txt"));
        Assert.Contains(lines, l => l.Contains("app/link -> a/x.txt"));
        Assert.Contains(lines, l => l.StartsWith("-rwxr--r--") && l.Contains("deep.bin"));
        Assert.All(lines, l => Assert.Contains("2023-11-14", l));
        // Extract with GNU tar to check it is a complete archive.
        var x = Directory.CreateDirectory(t.Combine("x")).FullName;
        await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-xzf", file, "-C", x]));
        Assert.Equal(File.ReadAllBytes(t.Combine("src/a/sub/deep.bin")), File.ReadAllBytes(Path.Combine(x, "app/a/sub/deep.bin")));
    }

    [Fact]
    public async Task Explicit_entries_get_parents_and_hard_links_point_at_the_first_path()
    {
        var entries = new[]
        {
            LayerEntry.HardLink("usr/bin/a", "usr/bin/z"),
            LayerEntry.FromBytes("usr/bin/z", "hi"u8.ToArray(), 493),
            LayerEntry.Symlink("bin", "usr/bin"),
            new LayerEntry("/etc/passwd", LayerEntryKind.File) { Content = "root:x:0:0::/root:/bin/sh\n"u8.ToArray(), Uid = 0 },
        };
        var (d, bytes) = await Build(entries, Options with { Compression = LayerCompression.None });
        Assert.Equal(d.DiffId, d.Digest);
        Assert.Equal(MediaTypes.OciLayer, d.MediaType);
        var reader = new System.Formats.Tar.TarReader(new MemoryStream(bytes));
        var seen = new List<string>();
        while (reader.GetNextEntry() is { } e) seen.Add($"{e.EntryType}:{e.Name}:{e.LinkName}");
        Assert.Equal(["SymbolicLink:bin:usr/bin", "Directory:etc/:", "V7RegularFile:etc/passwd:".Replace("V7", ""), "Directory:usr/:", "Directory:usr/bin/:", "RegularFile:usr/bin/a:", "HardLink:usr/bin/z:usr/bin/a"], seen);
    }

    [Theory]
    [InlineData("../etc/passwd", "contains '..'")]
    [InlineData("a/../../x", "contains '..'")]
    public async Task Paths_escaping_the_root_are_refused_naming_the_path(string path, string message)
    {
        var e = await Assert.ThrowsAsync<LayerException>(() => Build([LayerEntry.FromBytes(path, [1])], Options));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task Entries_under_a_symlink_and_links_above_the_root_are_refused()
    {
        var e = await Assert.ThrowsAsync<LayerException>(() => Build([LayerEntry.Symlink("etc", "/tmp"), LayerEntry.FromBytes("etc/x", [1])], Options));
        Assert.Contains("'etc/x' lies under 'etc', which is a symlink", e.Message);
        e = await Assert.ThrowsAsync<LayerException>(() => Build([LayerEntry.Symlink("a/b", "../../etc/shadow")], Options));
        Assert.Contains("'a/b' -> '../../etc/shadow' points above the image root", e.Message);
        e = await Assert.ThrowsAsync<LayerException>(() => Build([LayerEntry.HardLink("a", "/etc/shadow")], Options));
        Assert.Contains("not in this layer", e.Message);
    }

    [Fact]
    public async Task Long_paths_use_pax_path_records_only()
    {
        var longName = string.Join('/', Enumerable.Range(0, 30).Select(i => $"directory{i:D2}")) + "/" + new string('f', 120);
        var (_, bytes) = await Build([LayerEntry.FromBytes(longName, [1, 2, 3])], Options with { Compression = LayerCompression.None });
        var reader = new System.Formats.Tar.TarReader(new MemoryStream(bytes));
        System.Formats.Tar.TarEntry? last = null;
        while (reader.GetNextEntry() is { } e) last = e;
        Assert.Equal(longName, last!.Name);
        var pax = Assert.IsType<System.Formats.Tar.PaxTarEntry>(last);
        Assert.Equal(["path"], pax.ExtendedAttributes.Keys.Where(k => k is not ("mtime" or "uid" or "gid" or "size" or "linkpath" or "uname" or "gname" or "devmajor" or "devminor")).ToList());
        Assert.DoesNotContain("atime", pax.ExtendedAttributes.Keys);
    }

    [Fact]
    public async Task Source_date_epoch_sets_mtime_when_no_timestamp_is_given()
    {
        var (a, _) = await Build([LayerEntry.FromBytes("x", [1])], new LayerOptions { Timestamp = DateTimeOffset.UnixEpoch });
        var (b, _) = await Build([LayerEntry.FromBytes("x", [1])], new LayerOptions { Timestamp = DateTimeOffset.FromUnixTimeSeconds(5) });
        Assert.NotEqual(a.Digest, b.Digest);
    }

    [Fact]
    public void Crc_of_concatenation_matches_whole_crc()
    {
        var a = Deterministic(100_000);
        var b = Deterministic(250_001).Reverse().ToArray();
        Assert.Equal(Crc(a.Concat(b).ToArray()), Crc32Combine.Combine(Crc(a), Crc(b), b.Length));
        Assert.Equal(Crc(a), Crc32Combine.Combine(Crc(a), 0, 0));
    }

    private static uint Crc(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, true)) gz.Write(data);
        return BitConverter.ToUInt32(ms.ToArray().AsSpan()[^8..]);
    }

    [Fact]
    public async Task Streamed_blob_regenerates_identical_bytes_and_uses_its_cache()
    {
        using var t = new TempDir("layer");
        MakeTree(t, "src", reverse: false);
        var calls = 0;
        IEnumerable<LayerEntry> Entries() { calls++; return LayerWriter.EntriesFromDirectory(t.Combine("src")); }
        var blob = await StreamedLayerBlob.CreateAsync(Entries, Options, "key-1", t.Combine("cache"), default);
        Assert.Equal(1, calls);
        var again = await StreamedLayerBlob.CreateAsync(Entries, Options, "key-1", t.Combine("cache"), default);
        Assert.Equal(1, calls);
        Assert.Equal(blob.Descriptor, again.Descriptor);
        await using var s = await again.OpenReadAsync(default);
        var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        Assert.Equal(blob.Descriptor.Digest, Digest.Sha256(ms.ToArray()));

        // Changed input behind a stale cache entry: the read fails instead of yielding wrong bytes.
        File.AppendAllText(t.Combine("src/c.txt"), "changed");
        await using var s2 = await again.OpenReadAsync(default);
        await Assert.ThrowsAsync<InvalidDataException>(() => s2.CopyToAsync(Stream.Null));
    }
}
