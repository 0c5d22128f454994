using Slipway.Source.Plan;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>
/// Every value a repository controls reaches a shell only as a quoted word: each field gets a payload that creates a
/// canary file when a shell reads it as syntax. The attack is first shown to work unquoted; then detection either
/// refuses the value with one line naming the field, or every command of the plan (setup, install, build, start)
/// runs in a real shell, with stub tools on PATH, and the canary never appears.
/// </summary>
public sealed class HostileFieldTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    public static TheoryData<string, string, string, string?> Fields => new()
    {
        // field, file, content ({P} = payload), the refusal's field name (null = accepted and quoted)
        { "engines.node", "package.json", """{ "name": "a", "engines": { "node": ">=20 {P}" }, "main": "index.js" }""", "package.json engines.node" },
        { "engines.pnpm", "package.json", """{ "name": "a", "engines": { "pnpm": "8{P}" }, "main": "index.js" }""", "package.json engines.pnpm" },
        { "engines.bun", "package.json", """{ "name": "a", "engines": { "bun": "1{P}" }, "main": "index.js" }""", "package.json engines.bun" },
        { "packageManager", "package.json", """{ "name": "a", "packageManager": "pnpm@9.1.0{P}", "main": "index.js" }""", "package.json packageManager" },
        { "packageManager name", "package.json", """{ "name": "a", "packageManager": "pnpm{P}@9", "main": "index.js" }""", "packageManager" },
        { ".nvmrc", ".nvmrc", "20{P}", ".nvmrc" },
        { "mise.toml node", "mise.toml", "[tools]\nnode = \"20{P}\"\n", "mise.toml [tools] node" },
        { "package.json main", "package.json", """{ "name": "a{P}", "version": "1{P}", "main": "x{P}.js" }""", null },
        { "package.json module (bun)", "package.json", """{ "name": "a", "module": "x{P}.ts", "scripts": { "build": "bun build.ts" } }""", null },
        { "go module name", "go.mod", "module example.com/x{P}\n\ngo 1.19\n", null },
        { "Cargo.toml package and bin", "Cargo.toml", "[package]\nname = \"x{P}\"\nversion = \"0.1.0\"\n", null },
        { "Staticfile root", "Staticfile", "root: www{P}\n", "static root" },
        { "Pipfile package", "Pipfile", "[packages]\n\"flask{P}\" = \"*\"\n", null },
        { "nixpacks.toml variables", "nixpacks.toml", "[variables]\nX = \"{P}\"\n[start]\ncmd = \"echo hi\"\n", null },
        { "nixpacks.toml packages", "nixpacks.toml", "[phases.setup]\nnixPkgs = [\"cow{P}\"]\n[start]\ncmd = \"echo hi\"\n", "nixpacks.toml [phases.setup] nixPkgs" },
        { "railpack.json packages", "railpack.json", "{ \"packages\": { \"cow{P}\": \"latest\" }, \"deploy\": { \"startCommand\": \"echo hi\" } }", "railpack.json packages" },
        { "railpack.json variables and provider", "railpack.json", "{ \"provider\": \"shell\", \"deploy\": { \"variables\": { \"X\": \"{P}\" } } }", null },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_repository_field_with_shell_syntax_is_refused_or_stays_one_quoted_word(string field, string file, string content, string? refusedAs)
    {
        using var dir = new TempDir("hostile");
        var canary = dir.Combine("canary");
        var busybox = HostTools.Path("/bin/busybox");
        var payload = $"$({busybox} touch {canary})";
        var sh = HostTools.Require("sh");

        // The payload works when a shell reads it as syntax.
        await ToolRunner.RunAsync(new ToolInvocation(sh, ["-c", "echo " + content.Replace("{P}", payload)]));
        Assert.True(File.Exists(canary), $"{field}: the payload should create the canary when unquoted");
        File.Delete(canary);

        var app = dir.Combine("app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, file), content.Replace("{P}", payload));
        if (file is ".nvmrc" or "mise.toml") File.WriteAllText(Path.Combine(app, "package.json"), """{ "name": "a", "main": "index.js" }""");
        if (file == "Cargo.toml") { Directory.CreateDirectory(Path.Combine(app, "src")); File.WriteAllText(Path.Combine(app, "src", "main.rs"), "fn main() {}\n"); }
        if (file == "railpack.json") File.WriteAllText(Path.Combine(app, "start.sh"), "echo hi\n");
        if (file == "Pipfile") File.WriteAllText(Path.Combine(app, "main.py"), "print(1)\n");
        if (file == "go.mod") File.WriteAllText(Path.Combine(app, "main.go"), "package main\nfunc main() {}\n");

        BuildPlan plan;
        try { plan = new Detector(Mirrors).Detect(app); }
        catch (StepFailure e)
        {
            Assert.NotNull(refusedAs);
            Assert.Equal("detect", e.Step);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains(refusedAs!, e.Message);
            Assert.False(File.Exists(canary));
            return;
        }
        Assert.Null(refusedAs);

        // Stub tools: every program the commands call exits 0 without doing anything; the shell itself is real.
        var stubs = dir.Combine("stubs");
        Directory.CreateDirectory(stubs);
        foreach (var tool in new[] { "npm", "pnpm", "yarn", "bun", "node", "ln", "cp", "mkdir", "chmod", "go", "cargo", "rustc", "sed", "httpd", "python3", "pip", "dotnet", "ls", "grep", "sort", "tail" })
        {
            File.WriteAllText(Path.Combine(stubs, tool), "#!" + sh + "\nexit 0\n");
            File.SetUnixFileMode(Path.Combine(stubs, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        foreach (var command in plan.Setup.Concat(plan.Install).Concat(plan.Build).Append(plan.Start).Where(c => c.Length > 0))
        {
            await ToolRunner.RunAsync(new ToolInvocation(sh, ["-c", command])
            {
                WorkingDirectory = app,
                Environment = new Dictionary<string, string?> { ["PATH"] = stubs, ["PORT"] = "8080" },
            });
            Assert.False(File.Exists(canary), $"{field}: the payload ran in `{command}`");
        }
        // The value reached the plan (quoted), it was not silently dropped (a go.mod module path ends at its first space).
        if (file != "go.mod") Assert.Contains(plan.Setup.Concat(plan.Install).Concat(plan.Build).Append(plan.Start).Concat(plan.Env.Values).Concat(plan.Notes ?? []), c => c.Contains("canary"));
    }
}
