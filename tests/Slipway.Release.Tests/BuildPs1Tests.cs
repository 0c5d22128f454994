using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Release.Tests;

/// <summary>
/// build.ps1 run by PowerShell (the NuGet global tool of build/setup-packages.txt's [dotnet-tool] section, which
/// SetupTests installs) on a scratch monorepo with a build: the SDK-install path first (no dotnet on PATH, the
/// download from dot.net fails here and says what to do; then an SDK unpacked into .nuke/temp/dotnet-sdk, as the
/// installer leaves it, is found and used), then the usual path (dotnet on PATH) running --help and a target.
/// </summary>
public sealed class BuildPs1Tests(ITestOutputHelper output)
{
    /// <param name="scriptPath">The PATH build.ps1 sees (null: this process's). PowerShell's NuGet tool is a shim that
    /// starts `dotnet pwsh.dll` from PATH, so PowerShell itself starts with the usual PATH and the script's PATH is set
    /// inside it.</param>
    private static async Task<ToolResult> PwshAsync(string root, string? scriptPath, params string[] args)
    {
        var pwsh = HostTools.Require("pwsh");
        var script = Path.Combine(root, "build.ps1");
        if (scriptPath is null)
            return await CiScratchRepo.RunAsync(root, [pwsh, "-NoProfile", "-NonInteractive", "-File", script, .. args]);
        static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
        var command = $"$env:PATH = {Quote(scriptPath)}; Remove-Item Env:DOTNET_EXE -ErrorAction SilentlyContinue; & {Quote(script)} {string.Join(' ', args.Select(Quote))}; exit $LASTEXITCODE";
        return await CiScratchRepo.RunAsync(root, [pwsh, "-NoProfile", "-NonInteractive", "-Command", command]);
    }

    private string Log(ToolResult r)
    {
        var text = r.StandardOutput + "\n" + string.Join("\n", r.Tail);
        output.WriteLine(text);
        return text;
    }

    [Fact]
    public async Task Build_ps1_installs_or_finds_the_sdk_then_compiles_the_build_and_runs_help_and_a_target()
    {
        using var scratch = new CiScratchRepo(compile: false);
        var root = scratch.Root;
        // No dotnet on the script's PATH and none in .nuke/temp: the bootstrap must install one.
        using var emptyBin = new TempDir("no-dotnet-bin");
        var dotnet = ToolRunner.Which("dotnet") ?? throw new InvalidOperationException("no dotnet on PATH");
        var dotnetRoot = Path.GetDirectoryName(new FileInfo(dotnet).ResolveLinkTarget(true)?.FullName ?? dotnet)!;
        var noSdk = emptyBin.Path;

        var install = await PwshAsync(root, noSdk, "--help");
        var text = Log(install);
        Assert.Contains("No .NET SDK 10.0.100 or later 10.0 feature band on PATH; installing one into .nuke/temp/dotnet-sdk", text);
        if (install.ExitCode != 0)
        {
            // dot.net is not reachable from this machine: one clear set of fixes, nothing half-done.
            Assert.Contains("Could not download the .NET SDK 10.0 (no network to dot.net?)", text);
            Assert.False(File.Exists(Path.Combine(root, ".nuke/temp/build/_build.dll")));
            // What the installer leaves (an SDK under .nuke/temp/dotnet-sdk), given by linking this machine's.
            Directory.CreateSymbolicLink(Path.Combine(root, ".nuke/temp/dotnet-sdk"), dotnetRoot);
        }
        var local = await PwshAsync(root, noSdk, "--help");
        text = Log(local);
        Assert.True(local.ExitCode == 0, text);
        Assert.Contains("Compiling the build project", text);
        Assert.Matches(@"\n  PushImages\s+Publishes every built image", text);
        Assert.Equal(Path.Combine(root, ".nuke/temp/dotnet-sdk/dotnet"), File.ReadAllText(Path.Combine(root, ".nuke/temp/dotnet.path")).Trim());

        // The usual path: dotnet on PATH; the compiled build is reused (its inputs did not change) and runs a target.
        var images = await PwshAsync(root, null, "Images");
        text = Log(images);
        Assert.True(images.ExitCode == 0, text);
        Assert.DoesNotContain("Compiling the build project", text);
        Assert.Matches(@"hello\s+dockerfile\s+1\.0\.0", text);
    }
}
