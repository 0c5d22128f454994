using System.Diagnostics;
using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// A throwaway PostgreSQL (Debian's postgresql, /usr/lib/postgresql/*/bin): initdb under a temp dir, pg_ctl start on
/// a free loopback port with the socket dir in that temp dir, stopped and removed on dispose. As root it runs as the
/// postgres user (PostgreSQL refuses root). Each test gets its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly string _bin;

    private PostgresServer(TempDir dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }
    public string DataDirectory => _dir.Combine("data");
    public string ConnectionString(string database = "postgres") => $"Host=127.0.0.1;Port={Port};Username=slipway;Database={database};Pooling=true;Timeout=10";

    public static string BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
              ?? throw new InvalidOperationException("no /usr/lib/postgresql/*/bin/initdb; install it with: apt-get install -y postgresql")
            : throw new InvalidOperationException("no /usr/lib/postgresql; install it with: apt-get install -y postgresql");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory;
        var dir = new TempDir("pg");
        var port = FreePort.Next();
        Directory.CreateDirectory(dir.Combine("socket"));
        HostUser.GiveTo("postgres", dir.Path);
        var server = new PostgresServer(dir, bin, port);
        await server.RunAsync("initdb", ["-D", dir.Combine("data"), "-U", "slipway", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        await server.StartProcessAsync();
        return server;
    }

    private Task StartProcessAsync() => RunAsync("pg_ctl", ["-D", DataDirectory, "-l", _dir.Combine("postgres.log"), "-w", "-t", "30",
        "-o", $"-p {Port} -k {_dir.Combine("socket")} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"]);

    /// <summary>Stops the server (fast shutdown) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
        await StartProcessAsync();
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t" + Guid.NewGuid().ToString("N")[..12];
        await RunAsync("psql", ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "slipway", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", $"create database {name}"]);
        return ConnectionString(name);
    }

    private async Task RunAsync(string tool, IReadOnlyList<string> args)
    {
        var (file, prefix) = HostUser.As("postgres", Path.Combine(_bin, tool));
        var result = await ToolRunner.RunAsync(new ToolInvocation(file, [.. prefix, .. args]) { WorkingDirectory = _dir.Path });
        if (!result.Succeeded)
        {
            var log = File.Exists(_dir.Combine("postgres.log")) ? File.ReadAllText(_dir.Combine("postgres.log")) : "";
            throw new InvalidOperationException($"{tool} failed ({result.ExitCode}): {string.Join('\n', result.Tail)}\n{log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { }
        _dir.Dispose();
    }
}
