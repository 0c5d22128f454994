using Slipway.Engine;
using Slipway.Tooling;

partial class Build
{
    /// <summary>build/setup-packages.txt: the one list of Debian packages, each with the commands or host files it provides.</summary>
    SetupList MachinePackages => SetupList.Read(BuildProjectDirectory / "setup-packages.txt");

    [Parameter("Skip installing missing Debian packages (Setup only reports them)")]
    readonly bool NoInstall;

    Target Setup => _ => _
        .Description("Installs the Debian packages the image builds need (the [build] section of build/setup-packages.txt, as root), or prints the command to run")
        .Executes(ct => InstallMissing([SetupList.Build, SetupList.Essential], ct));

    Target SetupTests => _ => _
        .Description("Installs the Debian packages only the tests and CI checks need (the [test] section of build/setup-packages.txt) and its [dotnet-tool] entries into .nuke/temp/dotnet-tools")
        .DependsOn(Setup)
        .Executes(async ct =>
        {
            await InstallMissing([SetupList.Test], ct);
            await InstallDotnetTools(ct);
        });

    /// <summary>The [dotnet-tool] entries (Package@version), each with dotnet tool install --tool-path, when its command is missing.</summary>
    async Task InstallDotnetTools(CancellationToken ct)
    {
        foreach (var tool in MachinePackages.Packages.Where(p => p.Section == SetupList.DotnetTool))
        {
            if (tool.Provides.All(c => File.Exists(SetupList.DotnetToolPath(BuildRepositoryDirectory, c)))) continue;
            var at = tool.Name.LastIndexOf('@');
            if (at <= 0) throw new InvalidOperationException($"{SetupList.RelativePath}: [dotnet-tool] entry '{tool.Name}' needs a version: write 'Package@1.2.3  command'");
            var (package, version) = (tool.Name[..at], tool.Name[(at + 1)..]);
            Log.Info($"Installing the .NET tool {package} {version} into {SetupList.DotnetToolDirectory}");
            await ToolRunner.RunCheckedAsync(new ToolInvocation("dotnet", ["tool", "install", "--tool-path", BuildRepositoryDirectory / SetupList.DotnetToolDirectory, package, "--version", version]) { OnLine = Log.Debug }, ct);
            ReportSummary($"installed {package} {version}");
        }
    }

    async Task InstallMissing(string[] sections, CancellationToken ct)
    {
        var missing = MachinePackages.Missing(sections);
        if (missing.Count == 0) { ReportSummary("all tools present"); return; }
        var install = $"apt-get update && apt-get install -y {string.Join(' ', missing)}";
        if (ToolRunner.Which("apt-get") is null)
            throw new InvalidOperationException($"missing packages {string.Join(", ", missing)} and this machine has no apt-get; install their equivalents");
        // As root: install. On a CI runner with password-less sudo (GitHub's): install through sudo -n.
        // Anywhere else: stop with the exact command, never prompt for a password in the middle of a build.
        string[] prefix = Environment.UserName == "root" ? [] : IsServerBuild && await SudoWorks(ct) ? ["sudo", "-n"] : null!;
        if (NoInstall || prefix is null)
            throw new InvalidOperationException($"missing packages; run as root: {(Environment.UserName == "root" ? "" : "sudo sh -c '")}{install}{(Environment.UserName == "root" ? "" : "'")}");
        Log.Info($"Installing: {string.Join(' ', missing)}");
        var env = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        await Run([.. prefix, "apt-get", "update", "-qq"]);
        await Run([.. prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", .. missing]);
        ReportSummary($"installed {string.Join(' ', missing)}");

        Task Run(string[] command) =>
            ToolRunner.RunCheckedAsync(new ToolInvocation(command[0], command[1..]) { Environment = env, OnLine = Log.Debug }, ct);
    }

    static async Task<bool> SudoWorks(CancellationToken ct) =>
        ToolRunner.Which("sudo") is not null && (await ToolRunner.RunAsync(new ToolInvocation("sudo", ["-n", "true"]), ct)).Succeeded;
}
