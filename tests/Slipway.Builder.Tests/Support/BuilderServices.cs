using Slipway.Testing;

namespace Slipway.Builder.Tests.Support;

/// <summary>
/// The real parts the builder tests share (started once for the collection, stopped after): PostgreSQL, RabbitMQ,
/// docker-registry and a git HTTP server that wants a token. Tests isolate themselves with their own database,
/// queue name, repository and tenant.
/// </summary>
public sealed class BuilderServices : IAsyncLifetime
{
    public const string GitToken = "ghs_TestToken0123456789abcdefSECRET";
    /// <summary>The test git server is plain http on loopback and wants a token: the operator must allow both.</summary>
    public static readonly string[] AllowTestGit = ["--allow-http-git-host", "127.0.0.1", "--git-token-host", "127.0.0.1"];
    public static IEnumerable<KeyValuePair<string, string>> AllowTestGitEnvironment =>
        [new("BUILDER_ALLOW_HTTP_GIT_HOSTS", "127.0.0.1"), new("BUILDER_GIT_TOKEN_HOSTS", "127.0.0.1")];
    public PostgresServer Postgres { get; private set; } = null!;
    private Task<RabbitMqServer>? _rabbit;
    /// <summary>RabbitMQ boots slowly on a loaded machine: started in the background, awaited by the queue tests only.</summary>
    public Task<RabbitMqServer> RabbitAsync() => _rabbit!;
    public RegistryServer Registry { get; private set; } = null!;
    public GitHttpServer Git { get; } = new(GitToken);
    public TempDir Dir { get; } = new("bldsvc");

    public async Task InitializeAsync()
    {
        var pg = PostgresServer.StartAsync();
        _rabbit = RabbitMqServer.StartAsync();
        var registry = RegistryServer.StartAsync();
        Postgres = await pg;
        Registry = await registry;
    }

    /// <summary>A repository whose Dockerfile copies one text file into an empty image (a build that costs nothing).</summary>
    public Task<string> SampleRepoAsync(string name, string content = "hello") =>
        Git.CreateRepositoryAsync(name, new Dictionary<string, string>
        {
            ["Dockerfile"] = "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/hello.txt\"]\n",
            ["hello.txt"] = content + "\n",
        });

    public async Task DisposeAsync()
    {
        await Git.DisposeAsync();
        await Registry.DisposeAsync();
        try { await (await _rabbit!).DisposeAsync(); } catch (Exception) { /* never started */ }
        await Postgres.DisposeAsync();
        Dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BuilderCollection : ICollectionFixture<BuilderServices>
{
    public const string Name = "builder services";
}
