using Slipway.Builder.Tests.Support;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Security;

/// <summary>Secrets (issue 17): per-build redaction, secrets from files, registry credentials only to the registry.</summary>
[Collection(BuilderCollection.Name)]
public sealed class SecretHandlingTests(BuilderServices services)
{
    [Fact]
    public async Task One_builds_token_masks_words_in_its_own_log_only()
    {
        // The attack, process-wide as it was: a value registered outside a scope masks that word in every line.
        Secrets.Register("zq-process-wide-word");
        Assert.Equal($"{Secrets.Mask} here", Secrets.Redact("zq-process-wide-word here"));

        // A tenant whose "token" is an ordinary word: masked in its own build's lines, not in another build's.
        var tenantA = Task.Run(async () =>
        {
            using var scope = Secrets.BeginScope();
            _ = new Secret("error");
            await Task.Yield();
            return await Task.Run(() => Secrets.Redact("build failed: error in step")); // tasks it starts see it too
        });
        var tenantB = Task.Run(() =>
        {
            using var scope = Secrets.BeginScope();
            return Secrets.Redact("build failed: error in step");
        });
        Assert.Equal($"build failed: {Secrets.Mask} in step", await tenantA);
        Assert.Equal("build failed: error in step", await tenantB);
        Assert.Equal("build failed: error in step", Secrets.Redact("build failed: error in step"));
    }

    [Fact]
    public async Task The_worker_reads_its_broker_and_database_secrets_from_files_not_argv()
    {
        var rabbit = await services.RabbitAsync();
        using var dir = new TempDir("secret-files");
        var amqpFile = dir.Combine("amqp");
        var pgFile = dir.Combine("postgres");
        File.WriteAllText(amqpFile, rabbit.AmqpUrl + "\n");
        File.WriteAllText(pgFile, await services.Postgres.CreateDatabaseAsync() + "\n");
        await using var worker = BuilderProcess.Start(["builder", "serve", "--amqp-file", amqpFile, "--postgres-file", pgFile, "--registry", services.Registry.Host,
            "--queue", "secret-files-" + Guid.NewGuid().ToString("N")[..8], "--work-dir", dir.Combine("work")]);
        await worker.WaitForOutputAsync(l => l.Contains("consumer(s) on"), TimeSpan.FromMinutes(2));
        var cmdline = File.ReadAllText($"/proc/{worker.Id}/cmdline").Replace('\0', ' ');
        Assert.DoesNotContain("guest:guest", cmdline);
        Assert.DoesNotContain("Username=", cmdline);
        worker.KillHard();

        // A missing file is one line naming the flag.
        await using var missing = BuilderProcess.Start(["builder", "serve", "--amqp-file", dir.Combine("nope"), "--postgres-file", pgFile, "--registry", services.Registry.Host]);
        Assert.NotEqual(0, await missing.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(missing.Output, l => l.Contains($"--amqp-file '{dir.Combine("nope")}' does not exist"));
    }

    [Fact]
    public async Task The_registry_client_sends_no_credentials_to_an_upload_location_on_another_host()
    {
        // Front (wants Basic auth) → real registry; its upload Location is rewritten to a second front: another host.
        await using var elsewhere = new ForwardingServer($"http://{services.Registry.Host}");
        await using var front = new ForwardingServer($"http://{services.Registry.Host}", requireBasic: true);
        front.RewriteLocation = l => l.Replace(services.Registry.Host, $"127.0.0.1:{elsewhere.Port}").Replace($"127.0.0.1:{front.Port}", $"127.0.0.1:{elsewhere.Port}");
        elsewhere.RewriteLocation = l => l.Replace(services.Registry.Host, $"127.0.0.1:{elsewhere.Port}");
        var host = $"127.0.0.1:{front.Port}";
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(host, new RegistryCredential("pusher", "front-password-6b1d")));
        using var client = new RegistryClient(host, new RegistryClientOptions { Keychain = creds });

        var bytes = System.Text.Encoding.UTF8.GetBytes("cross-host upload " + Guid.NewGuid());
        var blob = new BytesBlob(Descriptor.Of(MediaTypes.OciLayer, bytes), bytes);
        var session = await client.StartUploadAsync("security/cross-host", default);
        Assert.Equal(elsewhere.Port, session.Location.Port); // the registry's answer really points elsewhere
        await client.PutMonolithicAsync(session, blob, default);

        Assert.Contains(front.Seen, s => s.StartsWith("POST ") && s.EndsWith(" Basic")); // the credential was in use
        Assert.NotEmpty(elsewhere.Seen);
        Assert.All(elsewhere.Seen, s => Assert.EndsWith(" -", s));
        using var direct = new RegistryClient(services.Registry.Host, new RegistryClientOptions());
        Assert.Equal<long?>(bytes.Length, await direct.HeadBlobAsync("security/cross-host", blob.Descriptor.Digest, default));
    }
}
