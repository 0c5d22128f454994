using Slipway.Testing;

namespace Slipway.Release.Tests;

/// <summary>A temporary monorepo with a real git history; every commit gets the date it is given.</summary>
public sealed class TestMonorepo(string? path = null) : TestGitRepo(path, prefix: "release-repo")
{
    /// <summary>A Dockerfile image from scratch with busybox and a message file: cheap to build with buildah.</summary>
    public void AddImage(string name, string version, string message)
    {
        Write($"containers/{name}/Dockerfile", $"ARG CONTAINER_APP_VERSION={version}\nFROM scratch\nCOPY busybox /bin/busybox\nCOPY message.txt /etc/message.txt\nCMD [\"/bin/busybox\", \"cat\", \"/etc/message.txt\"]\n");
        var bin = Path.Combine(Root, $"containers/{name}/busybox");
        if (!File.Exists(bin)) File.Copy("/bin/busybox", bin);
        Write($"containers/{name}/message.txt", message + "\n");
    }
}
