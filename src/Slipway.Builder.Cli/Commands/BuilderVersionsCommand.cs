using Slipway.Builder.Store;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway builder versions --postgres CONN TENANT SERVICE</c>: the version history, newest first.</summary>
public sealed class BuilderVersionsCommand : ICommand
{
    public string Name => "builder versions";
    public string Summary => "version history of a tenant's service (number, digest, commit, time)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, new Dictionary<string, string> { ["--postgres"] = "BUILDER_POSTGRES" });
        if (a.Positionals.Count != 2) throw new UsageException("usage: slipway builder versions --postgres CONN TENANT SERVICE");
        await using var store = await BuildStore.OpenAsync(a.Required("--postgres"), cancellationToken);
        var versions = await store.VersionsAsync(a.Positionals[0], a.Positionals[1], cancellationToken);
        if (versions.Count == 0) { Console.Error.WriteLine($"{a.Positionals[0]}/{a.Positionals[1]} has no versions yet"); return 0; }
        Console.WriteLine($"{"VERSION",-8} {"DIGEST",-72} {"COMMIT",-12} {"CREATED",-20} LATEST");
        foreach (var v in versions)
            Console.WriteLine($"{v.Version,-8} {v.Digest,-72} {(v.Commit ?? "-")[..Math.Min(12, (v.Commit ?? "-").Length)],-12} {v.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {(v.Latest ? "*" : "")}");
        return 0;
    }
}
