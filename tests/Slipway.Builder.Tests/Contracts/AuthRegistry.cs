using System.Text.Json;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Contracts;

/// <summary>A real docker-registry that wants basic auth (htpasswd), as ghcr.io or an in-cluster registry does.</summary>
public sealed class AuthRegistry : IAsyncDisposable
{
    public const string User = "builder-bot";
    public const string Password = "ghp_RegistryPassw0rd-SECRET";
    private readonly TempDir _dir = new("authreg");
    public RegistryServer Server { get; private set; } = null!;
    public string Host => Server.Host;

    public static async Task<AuthRegistry> StartAsync()
    {
        var r = new AuthRegistry();
        var line = (await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("htpasswd"), ["-Bbn", User, Password]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        var file = r._dir.Write("htpasswd", line + "\n");
        r.Server = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: slipway-test\n    path: {file}");
        return r;
    }

    /// <summary>skopeo (the independent judge) with the registry's credentials.</summary>
    public async Task<JsonDocument> InspectAsync(string reference, bool config = false)
    {
        var args = new List<string> { "inspect", "--tls-verify=false", "--creds", $"{User}:{Password}" };
        if (config) args.Add("--config");
        args.Add(reference);
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("skopeo"), args) { CaptureStandardOutput = true });
        return JsonDocument.Parse(r.StandardOutput);
    }

    public async Task<string> DigestAsync(string reference)
    {
        using var doc = await InspectAsync(reference);
        return doc.RootElement.GetProperty("Digest").GetString()!;
    }

    /// <summary>A docker config directory (what a mounted kubernetes.io/dockerconfigjson Secret gives).</summary>
    public string DockerConfig(TempDir dir)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        dir.Write("docker-config/config.json", $"{{\"auths\":{{\"{Host}\":{{\"auth\":\"{auth}\"}}}}}}");
        return dir.Combine("docker-config");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
