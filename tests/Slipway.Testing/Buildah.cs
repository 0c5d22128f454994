using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>buildah with its own storage (vfs, chroot isolation): pulls an image from the test registry and runs a command in it.</summary>
public sealed class Buildah : IDisposable
{
    private readonly TempDir _dir = new("buildah");

    private IEnumerable<string> Global => ["--root", _dir.Combine("root"), "--runroot", _dir.Combine("run"), "--storage-driver", "vfs"];

    public async Task<string> RunAsync(string reference, IReadOnlyList<string> command, CancellationToken ct = default)
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..10];
        await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. Global, "from", "--quiet", "--tls-verify=false", "--name", name, "docker://" + reference]) { CaptureStandardOutput = true }, ct);
        try
        {
            var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. Global, "run", "--isolation", "chroot", name, "--", .. command]) { CaptureStandardOutput = true }, ct);
            return r.StandardOutput;
        }
        finally
        {
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Global, "rm", name]), ct);
        }
    }

    public void Dispose()
    {
        ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Global, "rmi", "--all", "--force"])).GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
