using System.Security.Cryptography;
using Slipway.Images.Pipeline;
using Slipway.Testing;

namespace Slipway.Images.Tests.Pipeline;

public class FileHashCacheTests
{
    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task A_second_run_takes_unchanged_files_from_the_cache_and_rereads_changed_ones()
    {
        using var dir = new TempDir("file-hashes");
        var cacheFile = dir.Combine(".nuke/temp/input-file-hashes.tsv");
        var a = dir.Write("a.bin", "alpha");
        var b = dir.Write("b.bin", "bravo");

        var first = new FileHashCache(cacheFile, TimeSpan.Zero);
        Assert.Equal(Sha(a), await first.HashAsync(a, default));
        Assert.Equal(Sha(b), await first.HashAsync(b, default));
        first.Save();
        Assert.Equal((0, 2), (first.Hits, first.Misses));

        // Same size, same mtime, other bytes: ctime still moves, so the entry is not trusted.
        var mtime = File.GetLastWriteTimeUtc(b);
        File.WriteAllText(b, "BRAVO");
        File.SetLastWriteTimeUtc(b, mtime);

        var second = new FileHashCache(cacheFile, TimeSpan.Zero);
        Assert.Equal(Sha(a), await second.HashAsync(a, default));
        Assert.Equal(Sha(b), await second.HashAsync(b, default));
        Assert.Equal((1, 1), (second.Hits, second.Misses));

        // Replaced by rename (a new inode) with the same size: read again.
        var replacement = dir.Write("a.new", "ALPHA");
        File.Move(replacement, a, overwrite: true);
        var third = new FileHashCache(cacheFile, TimeSpan.Zero);
        Assert.Equal(Sha(a), await third.HashAsync(a, default));
        Assert.Equal(1, third.Misses);
    }

    [Fact]
    public async Task A_just_changed_file_is_hashed_but_not_remembered()
    {
        using var dir = new TempDir("file-hashes");
        var cacheFile = dir.Combine("cache.tsv");
        var a = dir.Write("a.bin", "alpha");
        var cache = new FileHashCache(cacheFile, TimeSpan.FromHours(1));
        Assert.Equal(Sha(a), await cache.HashAsync(a, default));
        cache.Save();
        var again = new FileHashCache(cacheFile, TimeSpan.FromHours(1));
        await again.HashAsync(a, default);
        Assert.Equal((0, 1), (again.Hits, again.Misses));
    }

    [Fact]
    public async Task A_damaged_or_foreign_cache_file_means_every_file_is_read()
    {
        using var dir = new TempDir("file-hashes");
        var a = dir.Write("a.bin", "alpha");
        var lie = new string('0', 64);
        var damaged = dir.Write("damaged.tsv", $"slipway-file-hashes v1\n{lie}\tnot-a-number\t1\t5\t1\t1\t{a}\n\0\0garbage\n");
        var foreign = dir.Write("foreign.tsv", $"something else\n{lie}\t1\t1\t5\t1\t1\t{a}\n");
        foreach (var file in new[] { damaged, foreign, dir.Combine("missing.tsv") })
        {
            var cache = new FileHashCache(file, TimeSpan.Zero);
            Assert.Equal(Sha(a), await cache.HashAsync(a, default));
            Assert.Equal(0, cache.Hits);
        }
    }

    [Fact]
    public async Task Entries_of_files_that_no_longer_exist_are_dropped_on_save()
    {
        using var dir = new TempDir("file-hashes");
        var cacheFile = dir.Combine("cache.tsv");
        var a = dir.Write("gone/a.bin", "alpha");
        var b = dir.Write("b.bin", "bravo");
        var cache = new FileHashCache(cacheFile, TimeSpan.Zero);
        await cache.HashAsync(a, default);
        await cache.HashAsync(b, default);
        cache.Save();
        Directory.Delete(dir.Combine("gone"), recursive: true);
        var next = new FileHashCache(cacheFile, TimeSpan.Zero);
        File.WriteAllText(b, "BRAVO!");
        await next.HashAsync(b, default);
        next.Save();
        var text = File.ReadAllText(cacheFile);
        Assert.DoesNotContain("gone/a.bin", text);
        Assert.Contains(Sha(b), text);
    }
}
