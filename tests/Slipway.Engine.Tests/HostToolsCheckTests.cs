using System.Text.RegularExpressions;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Engine.Tests;

/// <summary>
/// Run by Test: every suite takes its host tools and files only from build/setup-packages.txt, the list Setup
/// installs from, so a fresh machine after Setup runs every test (and no test passes only because someone
/// installed a tool by hand).
/// </summary>
public sealed partial class HostToolsCheckTests
{
    // What a suite's source reaches for on the host: a process started by name or path, a PATH lookup, the
    // HostTools helper, and a literal absolute path handed to File/Directory.
    [GeneratedRegex("""new ToolInvocation\(\s*"(?<x>[^"]+)"|ToolRunner\.Which\(\s*"(?<x>[^"]+)"|HostTools\.(?:Require|Path)\(\s*"(?<x>[^"]+)"|\b(?:File|Directory)\.\w+\(\s*"(?<x>/[^"]+)"|new ProcessStartInfo\(\s*"(?<x>[^"]+)"|Process\.Start\(\s*"(?<x>[^"]+)""")]
    private static partial Regex HostUse();

    [Fact]
    public void Every_tool_and_host_file_a_suite_uses_is_provided_by_the_setup_list()
    {
        var list = HostTools.List;
        var tests = Path.Combine(HostTools.RepoRoot, "tests");
        var uses = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .SelectMany(l => HostUse().Matches(l.Text).Select(m => (l.File, l.Line, Thing: m.Groups["x"].Value)))
            .ToList();
        Assert.NotEmpty(uses);
        // The SDK running the tests comes from build.sh (global.json), not from Setup's Debian list; /proc and /sys
        // are the kernel's, not a package's.
        static bool Kernel(string path) => path is "/proc" or "/sys" || path.StartsWith("/proc/", StringComparison.Ordinal) || path.StartsWith("/sys/", StringComparison.Ordinal);
        var unlisted = uses.Where(u => u.Thing != "dotnet" && !Kernel(u.Thing) && list.PackageOf(u.Thing) is null)
            .Select(u => $"{Path.GetRelativePath(HostTools.RepoRoot, u.File)}:{u.Line}: uses '{u.Thing}', which {SetupList.RelativePath} does not provide; add '<debian-package>  {u.Thing}' to it (or use a listed tool)")
            .ToList();
        Assert.True(unlisted.Count == 0, string.Join(Environment.NewLine, unlisted));
    }

    [Fact]
    public void The_list_names_what_the_suites_rely_on_and_globs_match_absolute_files()
    {
        var list = new SetupList([new SetupPackage("busybox-static", ["/bin/busybox"]), new SetupPackage("postgresql", ["initdb", "/usr/lib/postgresql/*/bin/initdb"])]);
        Assert.Equal("busybox-static", list.PackageOf("/bin/busybox"));
        Assert.Equal("postgresql", list.PackageOf("/usr/lib/postgresql/15/bin/initdb"));
        Assert.Null(list.PackageOf("/usr/bin/busybox"));
        Assert.Null(list.PackageOf("bazel"));

        Assert.Equal("busybox-static", HostTools.List.PackageOf("/bin/busybox"));
        Assert.Equal("docker.io", HostTools.List.PackageOf("dockerd"));
        var unlisted = "no-such-tool-anywhere";
        var e = Assert.Throws<InvalidOperationException>(() => HostTools.Require(unlisted));
        Assert.Equal($"the test uses 'no-such-tool-anywhere', which {SetupList.RelativePath} does not provide; add a line '<debian-package>  no-such-tool-anywhere' to it so Setup installs it", e.Message);
    }

    [Fact]
    public void Sections_split_what_the_main_job_installs_from_what_only_the_tests_need()
    {
        using var dir = new TempDir("setup-list");
        var path = dir.Write("setup-packages.txt", "# comment\nbuildah  buildah\n[test]\njq  jq   # trailing\n[essential]\ntar  tar\n");
        var list = SetupList.Read(path);
        Assert.Equal(["buildah"], list.Names(SetupList.Build));
        Assert.Equal(["jq"], list.Names(SetupList.Test));
        Assert.Equal(["tar"], list.Names(SetupList.Essential));
        Assert.Empty(list.Missing(SetupList.Essential));

        // The real list: the main job installs none of the test-only servers and browsers.
        var build = HostTools.List.Names(SetupList.Build);
        Assert.Contains("buildah", build);
        Assert.DoesNotContain("chromium", build);
        Assert.DoesNotContain("rabbitmq-server", build);

        var bad = dir.Write("bad.txt", "buildah  buildah\n[tests]\n");
        Assert.Equal($"{bad}:2: unknown section [tests]. Available sections are: [build], [test], [essential], [dotnet-tool]", Assert.Throws<FormatException>(() => SetupList.Read(bad)).Message);
        var bare = dir.Write("bare.txt", "buildah\n");
        Assert.Equal($"{bare}:1: 'buildah' names no command or file it provides; write 'buildah  <command or /absolute/path>'", Assert.Throws<FormatException>(() => SetupList.Read(bare)).Message);
    }
}
