using Slipway.Images.Sandbox;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>--step-sandbox on|off</c> (BUILDER_STEP_SANDBOX, default on) and <c>--deny-network CIDR[,CIDR…]</c>
/// (BUILDER_DENY_NETWORKS) of <c>builder serve</c> and <c>builder run</c>.
/// </summary>
public static class SandboxFlags
{
    public static StepSandboxOptions Options(BuilderArgs a)
    {
        var enabled = a.Get("--step-sandbox") switch
        {
            null or "on" or "1" or "true" => true,
            "off" or "0" or "false" => false,
            var v => throw new UsageException($"--step-sandbox '{v}' is not valid; valid values: on, off"),
        };
        var denied = new List<System.Net.IPNetwork>();
        foreach (var v in (a.Get("--deny-network") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try { denied.Add(StepSandboxOptions.ParseNetwork(v)); }
            catch (FormatException e) { throw new UsageException(e.Message); }
        }
        return new StepSandboxOptions { Enabled = enabled, DenyNetworks = denied };
    }
}
