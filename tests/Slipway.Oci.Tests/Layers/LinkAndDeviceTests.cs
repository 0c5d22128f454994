using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Layers;

public class LinkAndDeviceTests
{
    private static async Task<List<string>> ListAsync(IEnumerable<LayerEntry> entries)
    {
        var ms = new MemoryStream();
        await LayerWriter.WriteAsync(entries, ms, new LayerOptions { Compression = LayerCompression.None }, default);
        ms.Position = 0;
        var reader = new System.Formats.Tar.TarReader(ms);
        var seen = new List<string>();
        while (reader.GetNextEntry() is { } e) seen.Add($"{e.EntryType}:{e.Name}:{e.LinkName}");
        return seen;
    }

    [Fact]
    public async Task A_link_listed_before_its_target_swaps_roles_so_the_file_comes_first()
    {
        using var t = new TempDir("links");
        var src = t.Write("z-src", "hello");
        var seen = await ListAsync([LayerEntry.HardLink("bin/a", "bin/z"), LayerEntry.File("bin/z", src), LayerEntry.HardLink("bin/y", "bin/z")]);
        Assert.Equal(["Directory:bin/:", "RegularFile:bin/a:", "HardLink:bin/y:bin/a", "HardLink:bin/z:bin/a"], seen);
    }

    [Fact]
    public async Task A_hard_link_to_nothing_in_the_layer_is_refused_naming_it()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ListAsync([LayerEntry.HardLink("bin/a", "etc/shadow")]));
        Assert.Contains("hard link 'bin/a' -> 'etc/shadow'", e.Message);
        Assert.Contains("not in this layer", e.Message);
    }

    [Fact]
    public async Task Fifos_devices_and_hard_links_from_a_directory_are_kept()
    {
        using var t = new TempDir("dev");
        var root = Directory.CreateDirectory(t.Combine("root")).FullName;
        File.WriteAllText(Path.Combine(root, "b"), "x");
        await ToolRunner.RunCheckedAsync(new ToolInvocation("ln", [Path.Combine(root, "b"), Path.Combine(root, "a")]));
        await ToolRunner.RunCheckedAsync(new ToolInvocation("mkfifo", [Path.Combine(root, "fifo")]));
        var canMknod = (await ToolRunner.RunAsync(new ToolInvocation("mknod", [Path.Combine(root, "null"), "c", "1", "3"]))).Succeeded;
        var ms = new MemoryStream();
        await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(root), ms, new LayerOptions { Compression = LayerCompression.None }, default);
        ms.Position = 0;
        var reader = new System.Formats.Tar.TarReader(ms);
        var seen = new Dictionary<string, System.Formats.Tar.TarEntry>();
        while (reader.GetNextEntry() is { } e) seen[e.Name] = e;
        Assert.Equal(System.Formats.Tar.TarEntryType.HardLink, seen["b"].EntryType);
        Assert.Equal("a", seen["b"].LinkName);
        Assert.Equal(System.Formats.Tar.TarEntryType.Fifo, seen["fifo"].EntryType);
        if (canMknod)
        {
            var dev = Assert.IsAssignableFrom<System.Formats.Tar.PosixTarEntry>(seen["null"]);
            Assert.Equal((1, 3), (dev.DeviceMajor, dev.DeviceMinor));
        }
    }
}
