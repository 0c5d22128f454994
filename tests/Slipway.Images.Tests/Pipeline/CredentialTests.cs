using Slipway.Images.Pipeline;
using Slipway.Images.Tests.Support;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Pipeline;

public class CredentialTests
{
    [Fact]
    public async Task Registry_user_and_password_reach_an_htpasswd_registry_and_never_the_log_or_report()
    {
        const string password = "pipeline-s3cret-pass";
        var htpasswd = (await ToolRunner.RunCheckedAsync(new ToolInvocation("htpasswd", ["-Bbn", "bob", password]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        using var auth = new TempDir("auth");
        var file = auth.Write("htpasswd", htpasswd + "\n");
        await using var registry = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: slipway-test\n    path: {file}");
        using var repo = new TestRepo();
        repo.AddImage("api", "1.0.0");
        repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07Z"));

        var log = new List<string>();
        ImagePipelineOptions Options(string? user, string? pass) => new()
        {
            Root = repo.Root,
            Methods = [new DirectoryImageMethod()],
            Registry = $"{registry.Host}/team",
            RegistryUser = user,
            RegistryPassword = pass,
            Environment = new Dictionary<string, string?>(),
            // No docker/podman auth file of this machine may answer for the test.
            RegistryClient = new RegistryClientOptions { Keychain = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), auth.Combine("home"))) },
            Log = (_, line) => { lock (log) log.Add(line); },
        };

        await using (var anonymous = new ImagePipeline(Options(null, null)))
        {
            var result = (await anonymous.PushAsync()).Single();
            Assert.Equal(ImageStatus.Failed, result.Status);
            Assert.Contains("could not be published to", result.Reason);
            Assert.Contains("containers/api/image.ini", result.Reason);
        }
        await using (var authenticated = new ImagePipeline(Options("bob", password)))
        {
            var result = (await authenticated.PushAsync()).Single();
            Assert.Equal(ImageStatus.Pushed, result.Status);
            authenticated.ThrowIfFailed();
        }
        Assert.DoesNotContain(log, l => l.Contains(password));
        Assert.DoesNotContain(password, File.ReadAllText(Path.Combine(repo.Root, "artifacts", "images.json")));
        var tags = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["list-tags", "--tls-verify=false", "--creds", $"bob:{password}", $"docker://{registry.Host}/team/api"]) { CaptureStandardOutput = true });
        Assert.Contains("\"latest\"", tags.StandardOutput);
    }
}
