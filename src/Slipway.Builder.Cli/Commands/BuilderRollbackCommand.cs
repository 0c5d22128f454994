using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Builder.Store;
using Slipway.Builder.Tenants;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>slipway builder rollback --postgres CONN [--registry HOST/NS] TENANT SERVICE VERSION</c>: re-points the
/// service's latest at an existing version (in the store, and the registry's :latest tag when --registry is given).
/// </summary>
public sealed class BuilderRollbackCommand : ICommand
{
    public string Name => "builder rollback";
    public string Summary => "point a tenant service's latest at an older version";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, new Dictionary<string, string> { ["--postgres"] = "BUILDER_POSTGRES", ["--registry"] = "BUILDER_REGISTRY" });
        if (a.Positionals.Count != 3 || !int.TryParse(a.Positionals[2], out var version))
            throw new UsageException("usage: slipway builder rollback --postgres CONN [--registry HOST[:PORT]/NS] TENANT SERVICE VERSION");
        var (tenant, service) = (a.Positionals[0], a.Positionals[1]);
        await using var store = await BuildStore.OpenAsync(a.Required("--postgres"), cancellationToken);
        var target = await store.SetLatestAsync(tenant, service, version, cancellationToken);
        if (a.Get("--registry") is { } registry)
        {
            var repository = TenantNaming.Repository(registry, tenant, service);
            var spec = new BuildSpec { BuildId = "rollback", RepoCloneUrl = "https://invalid/", RegistryUser = Environment.GetEnvironmentVariable("REGISTRY_USER"), RegistryPassword = Slipway.Tooling.Secret.FromNullable(Environment.GetEnvironmentVariable("REGISTRY_PASSWORD")) };
            using var session = ImageDestinations.Session(spec, repository.Registry);
            await new RegistryDestination(repository, session).TagAsync(Digest.Parse(target.Digest), ["latest"], cancellationToken);
        }
        Console.WriteLine($"{tenant}/{service}: latest is version {target.Version} ({target.Image}, {target.Digest})");
        return 0;
    }
}
