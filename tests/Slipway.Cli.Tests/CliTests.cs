using System.Text.Json;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Cli.Tests;

/// <summary>Runs the built slipway executable as a user would, against a real registry, with skopeo as the judge.</summary>
public class CliTests
{
    // ./build.sh Test points SLIPWAY_CLI at the published (native) artifacts/bin/slipway; a plain `dotnet test`
    // runs the JIT build next to this assembly.
    private static string Exe => Environment.GetEnvironmentVariable("SLIPWAY_CLI") is { Length: > 0 } cli && File.Exists(cli)
        ? cli : Path.Combine(AppContext.BaseDirectory, "slipway");

    private static Task<ToolResult> Slipway(params string[] args) =>
        ToolRunner.RunAsync(new ToolInvocation(Exe, args) { CaptureStandardOutput = true });

    private static async Task<string> MakeLayoutAsync(TempDir t)
    {
        // An image made by an independent tool (umoci), so the CLI is tested on foreign input.
        var layout = t.Combine("umoci");
        t.Write("content/hello.txt", "hello from the cli test");
        await ToolRunner.RunCheckedAsync(new ToolInvocation("umoci", ["init", "--layout", layout]));
        await ToolRunner.RunCheckedAsync(new ToolInvocation("umoci", ["new", "--image", layout + ":base"]));
        await ToolRunner.RunCheckedAsync(new ToolInvocation("umoci", ["insert", "--rootless", "--image", layout + ":base", t.Combine("content"), "/data"]));
        return layout;
    }

    [Fact]
    public async Task Copy_layout_to_registry_keeps_the_digest_then_inspect_tags_and_copy_back()
    {
        using var t = new TempDir();
        await using var registry = await RegistryServer.StartAsync();
        var layout = await MakeLayoutAsync(t);
        var source = await Skopeo.DigestAsync($"oci:{layout}:base");

        var copy = await Slipway("copy", $"oci:{layout}:base", $"docker://{registry.Host}/team/cli:v1", "--jobs", "2");
        Assert.True(copy.Succeeded, string.Join("\n", copy.Tail));
        Assert.Equal(source, await Skopeo.DigestAsync($"docker://{registry.Host}/team/cli:v1"));

        var inspect = await Slipway("inspect", $"docker://{registry.Host}/team/cli:v1");
        using (var doc = JsonDocument.Parse(inspect.StandardOutput))
        {
            Assert.Equal(source, doc.RootElement.GetProperty("Digest").GetString());
            Assert.Contains("v1", doc.RootElement.GetProperty("RepoTags").EnumerateArray().Select(e => e.GetString()));
        }
        var tags = await Slipway("tags", $"docker://{registry.Host}/team/cli");
        Assert.Contains("\"v1\"", tags.StandardOutput);

        var back = await Slipway("copy", $"docker://{registry.Host}/team/cli:v1", $"oci:{t.Combine("back")}:x");
        Assert.True(back.Succeeded, string.Join("\n", back.Tail));
        Assert.Equal(source, await Skopeo.DigestAsync($"oci:{t.Combine("back")}:x"));
    }

    [Fact]
    public async Task Docker_archive_from_skopeo_is_read_and_pushed_with_its_diff_ids()
    {
        using var t = new TempDir();
        await using var registry = await RegistryServer.StartAsync();
        var layout = await MakeLayoutAsync(t);
        var archive = t.Combine("image.tar");
        await Skopeo.CopyAsync($"oci:{layout}:base", $"docker-archive:{archive}:team/arch:latest");
        var r = await Slipway("copy", $"docker-archive:{archive}", $"docker://{registry.Host}/team/arch:latest");
        Assert.True(r.Succeeded, string.Join("\n", r.Tail));
        using var ours = await Skopeo.InspectAsync($"docker://{registry.Host}/team/arch:latest", config: true);
        using var theirs = await Skopeo.InspectAsync($"oci:{layout}:base", config: true);
        Assert.Equal(theirs.RootElement.GetProperty("rootfs").GetRawText(), ours.RootElement.GetProperty("rootfs").GetRawText());
        // gzip'd archives are read too.
        await ToolRunner.RunCheckedAsync(new ToolInvocation("gzip", ["-k", archive]));
        var gz = await Slipway("copy", $"docker-archive:{archive}.gz", $"oci:{t.Combine("fromgz")}:x");
        Assert.True(gz.Succeeded, string.Join("\n", gz.Tail));
    }

    [Fact]
    public async Task Copy_recompress_zstd_and_back_keeps_the_config_and_diff_ids_and_layer_writes_zstd()
    {
        using var t = new TempDir();
        await using var registry = await RegistryServer.StartAsync();
        var layout = await MakeLayoutAsync(t);
        var source = await Skopeo.DigestAsync($"oci:{layout}:base");

        var zstd = await Slipway("copy", $"oci:{layout}:base", $"docker://{registry.Host}/team/z:zstd", "--recompress", "zstd", "-q");
        Assert.True(zstd.Succeeded, string.Join("\n", zstd.Tail));
        using (var raw = await Skopeo.InspectAsync($"docker://{registry.Host}/team/z:zstd", raw: true))
        using (var original = await Skopeo.InspectAsync($"oci:{layout}:base", raw: true))
        {
            Assert.All(raw.RootElement.GetProperty("layers").EnumerateArray(),
                l => Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", l.GetProperty("mediaType").GetString()));
            Assert.Equal(original.RootElement.GetProperty("config").GetProperty("digest").GetString(),
                raw.RootElement.GetProperty("config").GetProperty("digest").GetString());
        }
        Assert.NotEqual(source, await Skopeo.DigestAsync($"docker://{registry.Host}/team/z:zstd"));

        var gzip = await Slipway("copy", $"docker://{registry.Host}/team/z:zstd", $"oci:{t.Combine("back")}:x", "--recompress", "gzip", "-q");
        Assert.True(gzip.Succeeded, string.Join("\n", gzip.Tail));
        using (var back = await Skopeo.InspectAsync($"oci:{t.Combine("back")}:x", config: true))
        using (var theirs = await Skopeo.InspectAsync($"oci:{layout}:base", config: true))
            Assert.Equal(theirs.RootElement.GetProperty("rootfs").GetRawText(), back.RootElement.GetProperty("rootfs").GetRawText());

        var bad = await Slipway("copy", $"oci:{layout}:base", $"oci:{t.Combine("no")}:x", "--recompress", "lz4");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Available are: gzip, zstd, none", string.Join("\n", bad.Tail));

        t.Write("dir/a.txt", "a");
        var one = await Slipway("layer", t.Combine("dir"), "--output", t.Combine("1.tar.zst"), "--compression", "zstd");
        var two = await Slipway("layer", t.Combine("dir"), "--output", t.Combine("2.tar.zst"), "--compression", "zstd", "--jobs", "1");
        Assert.Contains("mediaType: application/vnd.oci.image.layer.v1.tar+zstd", one.StandardOutput);
        Assert.Equal(one.StandardOutput, two.StandardOutput);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("zstd", ["-q", "-t", t.Combine("1.tar.zst")]));
    }

    [Fact]
    public async Task Layer_prints_digest_and_diff_id_and_is_byte_identical_twice()
    {
        using var t = new TempDir();
        t.Write("dir/a/b.txt", "b");
        t.Write("dir/c.txt", "c");
        var one = await Slipway("layer", t.Combine("dir"), "--output", t.Combine("1.tgz"));
        var two = await Slipway("layer", t.Combine("dir"), "--output", t.Combine("2.tgz"));
        Assert.Contains("digest: sha256:", one.StandardOutput);
        Assert.Contains("diffID: sha256:", one.StandardOutput);
        Assert.Equal(one.StandardOutput, two.StandardOutput);
        Assert.Equal(await File.ReadAllBytesAsync(t.Combine("1.tgz")), await File.ReadAllBytesAsync(t.Combine("2.tgz")));
    }

    [Theory]
    [InlineData(new[] { "copy", "foo:bar", "oci:/tmp/x" }, 2, "Available transports are")]
    [InlineData(new[] { "copy", "oci:/definitely/missing:x", "oci:/tmp/x" }, 1, "'/definitely/missing' does not exist")]
    [InlineData(new[] { "inspect", "docker://nohost" }, 2, "has no registry host")]
    [InlineData(new[] { "inspect", "docker://127.0.0.1:5000/Bad_Name:x" }, 2, "not a valid repository name")]
    [InlineData(new[] { "frobnicate" }, 2, "Available commands are: copy, inspect, tags, layer")]
    [InlineData(new[] { "layer", "/definitely/missing", "--output", "/tmp/x" }, 2, "is not a directory")]
    [InlineData(new[] { "copy", "oci:/tmp", "oci:/tmp/y", "--jobs", "0" }, 2, "--jobs must be a whole number from 1 to 64")]
    [InlineData(new[] { "copy", "--job", "2", "oci:/tmp", "oci:/tmp/y" }, 2, "unknown option '--job'. Available options are: --compression, --config, --creds")]
    public async Task Bad_input_gets_one_clear_line_and_a_non_zero_exit(string[] args, int code, string expected)
    {
        var r = await Slipway(args);
        Assert.Equal(code, r.ExitCode);
        var line = Assert.Single(r.Tail);
        Assert.StartsWith("slipway: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Registry_errors_name_the_registry_and_the_fix()
    {
        using var t = new TempDir();
        var htpasswd = (await ToolRunner.RunCheckedAsync(new ToolInvocation("htpasswd", ["-Bbn", "u", "p4ssword"]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        var file = t.Write("htpasswd", htpasswd + "\n");
        await using var registry = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: r\n    path: {file}");
        var r = await ToolRunner.RunAsync(new ToolInvocation(Exe, ["tags", $"docker://{registry.Host}/team/x"])
        {
            CaptureStandardOutput = true, Environment = new Dictionary<string, string?> { ["HOME"] = t.Path, ["DOCKER_CONFIG"] = null, ["REGISTRY_AUTH_FILE"] = null },
        });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--creds", Assert.Single(r.Tail));
        var ok = await Slipway("tags", $"docker://{registry.Host}/team/x", "--creds", "u:p4ssword");
        Assert.Equal(1, ok.ExitCode); // authenticated now: the repository simply does not exist
        Assert.Contains("does not exist", Assert.Single(ok.Tail));
        Assert.DoesNotContain("p4ssword", ok.Tail[0]);
    }

    [Fact]
    public async Task Copy_reports_each_blob_in_plain_lines_when_not_on_a_terminal()
    {
        using var t = new TempDir();
        await using var registry = await RegistryServer.StartAsync();
        var layout = await MakeLayoutAsync(t);
        var dst = $"docker://{registry.Host}/team/progress:v1";

        var first = await Slipway("copy", $"oci:{layout}:base", dst);
        Assert.True(first.Succeeded, string.Join("\n", first.Tail));
        Assert.Contains(first.Tail, l => l.StartsWith("config sha256:") && l.EndsWith("copied"));
        Assert.Contains(first.Tail, l => l.StartsWith("blob   sha256:") && l.EndsWith("copied"));
        Assert.Contains(first.Tail, l => l.StartsWith("manifest sha256:") && l.EndsWith("tagged v1"));
        Assert.DoesNotContain(first.Tail, l => l.Contains('\x1b') || l.Contains('\r'));
        Assert.StartsWith("Copied ", first.StandardOutput); // stdout keeps only the summary

        var again = await Slipway("copy", $"oci:{layout}:base", dst);
        Assert.All(again.Tail.Where(l => l.StartsWith("blob") || l.StartsWith("config")), l => Assert.EndsWith("already there", l));
        var quiet = await Slipway("copy", $"oci:{layout}:base", dst, "-q");
        Assert.Empty(quiet.Tail);
    }

    [Fact]
    public async Task Copy_on_a_terminal_draws_a_live_status_line_and_clears_it()
    {
        // A real pseudo-terminal from util-linux `script`, so the CLI sees a terminal on standard error.
        using var t = new TempDir();
        await using var registry = await RegistryServer.StartAsync();
        var layout = await MakeLayoutAsync(t);
        var log = t.Combine("tty.log");
        var command = $"'{Exe}' copy 'oci:{layout}:base' 'docker://{registry.Host}/team/tty:v1'";
        var r = await ToolRunner.RunAsync(new ToolInvocation("script", ["-qec", command, log])
        {
            Environment = new Dictionary<string, string?> { ["TERM"] = "xterm" },
        });
        Assert.True(r.Succeeded, string.Join("\n", r.Tail));
        var screen = await File.ReadAllTextAsync(log);
        Assert.Contains("\r\x1b[2K", screen);                      // the status line is redrawn in place
        Assert.Matches(@"\d/2 blobs +[0-9.]+ (B|KiB|MiB) of [0-9.]+ (B|KiB|MiB)", screen);
        Assert.Contains("Copied oci:", screen);
        Assert.Equal(await Skopeo.DigestAsync($"oci:{layout}:base"), await Skopeo.DigestAsync($"docker://{registry.Host}/team/tty:v1"));
    }
}
