using Slipway.Testing;

namespace Slipway.Images.Tests.Support;

/// <summary>A temporary monorepo (what <c>--root</c> points at) with a real git history and fixed commit dates.</summary>
public sealed class TestRepo(string branch = "main") : TestGitRepo(branch: branch, prefix: "images-repo")
{
    /// <summary>An image for <see cref="DirectoryImageMethod"/>: <c>containers/NAME/image.ini</c> + <c>rootfs/</c>.</summary>
    public void AddImage(string name, string? version = "1.2.3", string extraIni = "", string? prepareScript = null)
    {
        Write($"containers/{name}/image.ini", (version is null ? "" : $"version={version}\n") + extraIni);
        Write($"containers/{name}/rootfs/etc/{name}.conf", $"name={name}\n");
        Write($"containers/{name}/rootfs/usr/share/{name}/hello.txt", $"hello from {name}\n");
        if (prepareScript is not null) Write($"containers/{name}/prepare.sh", prepareScript);
    }
}
