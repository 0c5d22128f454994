using Slipway.Builder.Tests.Support;
using Slipway.Images.BaseImages;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Security;

/// <summary>Paths resolved, not compared (issue 17): symlinks in a repository never reach the worker's files.</summary>
[Collection(BuilderCollection.Name)]
public sealed class PathTests
{
    private static Dictionary<string, string> RunEnv(string id, string repo, string work, string output, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = id, ["REPO_CLONE_URL"] = repo, ["REPO_REF"] = "main", ["BUILDER_WORK_DIR"] = work,
            ["BUILDER_ALLOW_LOCAL_REPOS"] = "1", ["IMAGE_TAG"] = $"oci:{output}:latest",
        };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    [Fact]
    public async Task A_root_directory_that_is_a_symlink_to_a_host_directory_is_refused_after_resolving_it()
    {
        using var host = new TempDir("host-secret");
        File.WriteAllText(host.Combine("secret.txt"), "host-secret-b41c\n");
        File.WriteAllText(host.Combine("Dockerfile"), "FROM scratch\nCOPY secret.txt /secret.txt\n");
        using var repo = new TestGitRepo(prefix: "symlink-root");
        repo.Write("README.md", "hi\n");
        File.CreateSymbolicLink(Path.Combine(repo.Root, "site"), host.Path);
        repo.Commit("c", TestGitRepo.DefaultDate);
        using var dir = new TempDir("symlink-root-run");

        // The attack: git checks the symlink out as committed; a string comparison says "inside", the files are the host's.
        using (var clone = new TempDir("symlink-clone"))
        {
            var checkout = (await new Git.GitCloner().CloneAsync(repo.Root, "main", null, clone.Combine("src"), _ => { }, default)).Directory;
            var joined = Path.GetFullPath(Path.Combine(checkout, "site"));
            Assert.StartsWith(checkout + "/", joined);
            Assert.Equal("host-secret-b41c\n", File.ReadAllText(Path.Combine(joined, "secret.txt")));
        }

        await using var run = BuilderProcess.Start(["builder", "run"], RunEnv("root-link-1", repo.Root, dir.Combine("work"), dir.Combine("out"), ("ROOT_DIRECTORY", "site")));
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains(run.Output, l => l.Contains("root directory 'site' leaves the repository (after resolving symlinks)"));
        Assert.False(Directory.Exists(dir.Combine("out")) && ImageFiles.Contains(dir.Combine("out"), "host-secret-b41c"));
    }

    [Fact]
    public async Task Symlinks_inside_the_copied_tree_do_not_bring_host_files_into_the_image()
    {
        using var host = new TempDir("host-secret");
        File.WriteAllText(host.Combine("secret.txt"), "host-secret-9d2e\n");
        using var repo = new TestGitRepo(prefix: "symlink-tree");
        repo.Write("Dockerfile", "FROM scratch\nCOPY . /app\n");
        repo.Write("Dockerfile.direct", "FROM scratch\nCOPY leak.txt /leak.txt\n");
        repo.Write("app.txt", "app\n");
        File.CreateSymbolicLink(Path.Combine(repo.Root, "leak.txt"), host.Combine("secret.txt"));
        File.CreateSymbolicLink(Path.Combine(repo.Root, "leakdir"), host.Path);
        repo.Commit("c", TestGitRepo.DefaultDate);
        using var dir = new TempDir("symlink-tree-run");

        foreach (var (dockerfile, n) in new[] { ("Dockerfile", 1), ("Dockerfile.direct", 2) })
        {
            var output = dir.Combine($"out{n}");
            await using var run = BuilderProcess.Start(["builder", "run"], RunEnv($"tree-link-{n}", repo.Root, dir.Combine("work"), output, ("DOCKERFILE_PATH", dockerfile)));
            var exit = await run.WaitAsync(TimeSpan.FromMinutes(5));
            // Built (links kept as links) or refused; never the host file's bytes in a layer.
            if (n == 1) Assert.True(exit == 0, run.AllOutput);
            if (Directory.Exists(output)) Assert.False(ImageFiles.Contains(output, "host-secret-9d2e"), $"{dockerfile}: the host file is in the image\n{run.AllOutput}");
        }
    }

    [Fact]
    public void A_repositorys_base_image_catalog_cannot_name_layouts_outside_it()
    {
        using var repo = new TempDir("catalog-root");
        using var outside = new TempDir("catalog-outside");
        Directory.CreateSymbolicLink(repo.Combine("bases-link"), outside.Path);
        var inside = BaseImageCatalog.Parse("output: artifacts/bases\n", "containers/base-images.yml", repo.Path);
        Assert.StartsWith(Tooling.PathContainment.RealPath(repo.Path), inside.OutputDirectory);
        foreach (var output in new[] { outside.Path, "../" + Path.GetFileName(outside.Path), "bases-link", "bases-link/x" })
        {
            var e = Assert.Throws<FormatException>(() => BaseImageCatalog.Parse($"output: {output}\n", "containers/base-images.yml", repo.Path));
            Assert.Equal($"containers/base-images.yml:1: output '{output}' leaves the repository (after resolving symlinks); give a directory inside it, e.g. artifacts/base-images", e.Message);
        }
    }
}
