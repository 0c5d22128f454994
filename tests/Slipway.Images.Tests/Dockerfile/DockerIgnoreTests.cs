using Slipway.Images.Methods.Dockerfile;
using Slipway.Testing;

namespace Slipway.Images.Tests.Dockerfile;

public sealed class DockerIgnoreTests
{
    [Theory]
    // plain names match at the root only, and exclude everything below a matched directory
    [InlineData("node_modules", "node_modules/a/b.js", true)]
    [InlineData("node_modules", "src/node_modules/x", false)]
    [InlineData("/build", "build/out.o", true)]
    [InlineData("./build/", "build/out.o", true)]
    // * and ? stay inside one path segment
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/a.md", false)]
    [InlineData("*/*.md", "docs/a.md", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    // ** spans any number of directories, including none
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("**/*.md", "a/b/c.md", true)]
    [InlineData("docs/**", "docs/a/b", true)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    // character classes and escapes as in Go's filepath.Match
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[^a-c].txt", "b.txt", false)]
    [InlineData("[^a-c].txt", "d.txt", true)]
    [InlineData(@"\*.txt", "*.txt", true)]
    [InlineData(@"\*.txt", "a.txt", false)]
    [InlineData("# comment", "# comment", false)]
    public void Matches_like_docker(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void Exceptions_reinclude_and_the_last_matching_rule_wins()
    {
        var ignore = DockerIgnore.Parse("*.log\n!keep.log\n!important/*.log\nimportant/secret.log\n");
        Assert.True(ignore.IsExcluded("debug.log"));
        Assert.False(ignore.IsExcluded("keep.log"));
        Assert.False(ignore.IsExcluded("important/a.log")); // *.log does not reach into subdirectories anyway
        Assert.True(ignore.IsExcluded("important/secret.log"));

        var all = DockerIgnore.Parse("*\n!src\n!Dockerfile\n");
        Assert.True(all.IsExcluded("README.md"));
        Assert.False(all.IsExcluded("src/main.c"));
        Assert.False(all.IsExcluded("Dockerfile"));
    }

    [Fact]
    public void Context_files_leave_out_ignored_files_and_walk_into_excluded_dirs_only_when_an_exception_may_apply()
    {
        using var dir = new TempDir("dign");
        dir.Write("Dockerfile", "FROM x");
        dir.Write("src/a.c", "");
        dir.Write("build/out.o", "");
        dir.Write("build/keep/me.txt", "");
        dir.Write("notes.tmp", "");
        var files = DockerIgnore.Parse("build\n*.tmp\n!build/keep\n").ContextFiles(dir.Path)
            .Select(f => Path.GetRelativePath(dir.Path, f)).ToList();
        Assert.Equal(["Dockerfile", "build/keep/me.txt", "src/a.c"], files);
    }

    [Fact]
    public void Bad_patterns_name_the_file_and_line()
    {
        var e = Assert.Throws<FormatException>(() => DockerIgnore.Parse("ok\n[abc\n", "app/.dockerignore"));
        Assert.StartsWith("app/.dockerignore:2:", e.Message);
    }

    [Fact]
    public void Dockerfile_specific_ignore_file_wins()
    {
        using var dir = new TempDir("dign2");
        var df = dir.Write("Dockerfile", "FROM x");
        dir.Write(".dockerignore", "a");
        Assert.Equal(dir.Combine(".dockerignore"), DockerIgnore.Locate(df, dir.Path));
        dir.Write("Dockerfile.dockerignore", "b");
        Assert.Equal(dir.Combine("Dockerfile.dockerignore"), DockerIgnore.Locate(df, dir.Path));
    }
}
