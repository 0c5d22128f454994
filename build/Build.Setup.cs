using Slipway.Engine;
using Slipway.Tooling;

partial class Build
{
    /// <summary>Debian packages the tests and the image methods use, keyed by the command each provides.</summary>
    static readonly (string Command, string Package)[] MachinePackages =
    [
        ("buildah", "buildah"), ("skopeo", "skopeo"), ("docker-registry", "docker-registry"), ("nix-build", "nix-bin"),
        ("debootstrap", "debootstrap"), ("umoci", "umoci"), ("pigz", "pigz"), ("git", "git"), ("htpasswd", "apache2-utils"),
        ("bc", "bc"),
    ];

    [Parameter("Skip installing missing Debian packages (Setup only reports them)")]
    readonly bool NoInstall;

    Target Setup => _ => _
        .Description("Installs the Debian packages the tests and image builds need (as root), or prints the command to run")
        .Executes(async ct =>
        {
            var missing = MachinePackages.Where(p => ToolRunner.Which(p.Command) is null && !File.Exists("/usr/sbin/" + p.Command)).Select(p => p.Package).Distinct().ToList();
            if (missing.Count == 0) { ReportSummary("all tools present"); return; }
            var command = $"apt-get update && apt-get install -y {string.Join(' ', missing)}";
            if (NoInstall || Environment.UserName != "root")
                throw new InvalidOperationException($"missing tools; run as root: {command}");
            Log.Info($"Installing: {string.Join(' ', missing)}");
            var env = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            await ToolRunner.RunCheckedAsync(new ToolInvocation("apt-get", ["update", "-qq"]) { Environment = env, OnLine = Log.Debug }, ct);
            await ToolRunner.RunCheckedAsync(new ToolInvocation("apt-get", ["install", "-y", "-qq", .. missing]) { Environment = env, OnLine = Log.Debug }, ct);
            ReportSummary($"installed {string.Join(' ', missing)}");
        });
}
