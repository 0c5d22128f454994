using System.Diagnostics;
using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// A throwaway RabbitMQ node (Debian's rabbitmq-server): its own node name, AMQP, distribution and epmd ports,
/// mnesia, logs, enabled-plugins file and Erlang cookie under a temp dir; stopped with rabbitmqctl on dispose.
/// <see cref="StopAsync"/>/<see cref="StartNodeAsync"/> restart it in place (same data, same port) for reconnect tests.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly TempDir _dir;
    private Process? _process;

    private RabbitMqServer(TempDir dir)
    {
        _dir = dir;
        Port = FreePort.Next();
        DistPort = FreePort.Next();
        EpmdPort = FreePort.Next();
        NodeName = $"slipway{Port}@localhost";
    }

    public int Port { get; }
    public int DistPort { get; }
    public int EpmdPort { get; }
    public string NodeName { get; }
    public string AmqpUrl => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <param name="advancedConfig">Erlang terms for advanced.config (settings rabbitmq.conf has no key for), or null.</param>
    public static async Task<RabbitMqServer> StartAsync(string? advancedConfig = null)
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
            throw new InvalidOperationException($"{Bin}/rabbitmq-server is missing; install it with: apt-get install -y rabbitmq-server");
        var server = new RabbitMqServer(new TempDir("rabbit"));
        File.WriteAllText(server._dir.Combine("enabled_plugins"), "[].\n");
        File.WriteAllText(server._dir.Combine("rabbitmq.conf"), "loopback_users = none\nlog.console = false\n");
        if (advancedConfig is not null) File.WriteAllText(server._dir.Combine("advanced.config"), advancedConfig);
        var cookie = server._dir.Combine(".erlang.cookie");
        File.WriteAllText(cookie, Guid.NewGuid().ToString("N"));
        File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        await server.StartNodeAsync();
        return server;
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = _dir.Path,
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_PORT"] = Port.ToString(),
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_DIST_PORT"] = DistPort.ToString(),
        ["ERL_EPMD_PORT"] = EpmdPort.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = _dir.Combine("mnesia"),
        ["RABBITMQ_LOG_BASE"] = _dir.Combine("log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = _dir.Combine("enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = _dir.Combine("rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = _dir.Combine("advanced.config"),
        ["RABBITMQ_PID_FILE"] = _dir.Combine("rabbit.pid"),
        ["RABBITMQ_LOGS"] = _dir.Combine("log", "rabbit.log"),
    };

    /// <summary>Starts (or restarts after <see cref="StopAsync"/>) the node and waits until AMQP answers.</summary>
    public async Task StartNodeAsync()
    {
        var psi = new ProcessStartInfo(Path.Combine(Bin, "rabbitmq-server")) { WorkingDirectory = _dir.Path };
        foreach (var (k, v) in Environment()) psi.Environment[k] = v;
        _process = ServerProcess.Start(psi);
        // The node registers with epmd only after a while; the AMQP listener opens once the broker has booted.
        await ServerProcess.WaitListeningAsync(_process, Port, TimeSpan.FromSeconds(300), "rabbitmq-server", _dir.Combine("log"));
    }

    public async Task StopAsync()
    {
        await Ctl(["stop"], check: false);
        if (_process is { } p)
        {
            try { await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token); }
            catch (OperationCanceledException) { p.Kill(entireProcessTree: true); }
            p.Dispose();
            _process = null;
        }
    }

    /// <summary>Runs rabbitmqctl against this node (e.g. list_queues) and returns its standard output.</summary>
    public async Task<string> Ctl(IReadOnlyList<string> args, bool check = true)
    {
        var result = await ToolRunner.RunAsync(new ToolInvocation(Path.Combine(Bin, "rabbitmqctl"), ["-n", NodeName, .. args])
        {
            Environment = Environment(), CaptureStandardOutput = true, WorkingDirectory = _dir.Path,
        });
        if (check && !result.Succeeded)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({result.ExitCode}): {string.Join('\n', result.Tail)}");
        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // The node's own epmd (on our private port) outlives the node; stop it too.
        await ToolRunner.RunAsync(new ToolInvocation("/usr/bin/epmd", ["-port", EpmdPort.ToString(), "-kill"]));
        _dir.Dispose();
    }
}
