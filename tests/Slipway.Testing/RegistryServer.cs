using System.Diagnostics;

namespace Slipway.Testing;

/// <summary>
/// The real CNCF distribution registry (Debian's <c>docker-registry</c>) on a free loopback port with its own
/// storage directory. Optional extra YAML (e.g. an <c>auth:</c> section) is appended to the config.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable, IDisposable
{
    private readonly Process _process;
    private readonly TempDir _dir;

    private RegistryServer(Process process, TempDir dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }
    /// <summary><c>127.0.0.1:PORT</c>, the registry host as used in references.</summary>
    public string Host => $"127.0.0.1:{Port}";
    public string StorageDirectory => _dir.Combine("storage");
    public string ConfigDirectory => _dir.Path;

    /// <summary>From build/setup-packages.txt (docker-registry), like every host tool the tests use.</summary>
    public static string Binary => HostTools.Require("docker-registry");

    public static async Task<RegistryServer> StartAsync(string? extraConfig = null, Action<TempDir>? prepare = null)
    {
        var dir = new TempDir("registry");
        prepare?.Invoke(dir);
        var port = FreePort.Next();
        var config = $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {dir.Combine("storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {extraConfig ?? ""}
            """;
        var configPath = dir.Write("config.yml", config);
        var psi = new ProcessStartInfo(Binary);
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(configPath);
        // The Debian unit sets this; without it the registry warns about a missing secret on every start.
        psi.Environment["REGISTRY_HTTP_SECRET"] = Guid.NewGuid().ToString("N");
        var server = new RegistryServer(ServerProcess.Start(psi), dir, port);
        try
        {
            await ServerProcess.WaitListeningAsync(server._process, port, TimeSpan.FromSeconds(60), "docker-registry", configPath);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(true); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        _dir.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
