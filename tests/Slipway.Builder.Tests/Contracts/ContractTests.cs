using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Queue;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Contracts;

/// <summary>
/// Each known builder's contract, driven exactly as that builder's caller drives it (its Job environment or its queue
/// message, verbatim), against real git, registry (htpasswd auth where the caller has credentials), RabbitMQ,
/// PostgreSQL and dockerd; the caller's receiving side checks what it gets.
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class ContractTests(BuilderServices services)
{
    private const string CallbackToken = "cbt_OneTimeHmacToken.SECRET-1234";

    private static string WithToken(string url) => url.Replace("http://", $"http://x-access-token:{BuilderServices.GitToken}@");

    [Fact]
    public async Task Single_purpose_container_with_a_dind_sidecar_builds_through_DOCKER_HOST_pushes_IMAGE_TAG_with_GHCR_credentials_and_calls_back_with_the_token()
    {
        var commit = await services.Git.CreateRepositoryAsync("spc-web", new Dictionary<string, string>
        {
            ["web/Dockerfile"] = "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/hello.txt\"]\n",
            ["web/hello.txt"] = "hello from dind\n",
        });
        await using var registry = await AuthRegistry.StartAsync();
        await using var dockerd = await DockerDaemon.StartAsync();
        await using var receiver = new TokenCallbackReceiver(CallbackToken); // the platform API: no webhook secret at all
        using var work = new TempDir("spcwork");
        var imageTag = $"{registry.Host}/acme-org/alice--spc-web:{commit}";
        // The platform's Job environment, verbatim (DOCKER_HOST points at the dind sidecar).
        var env = new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "bj-spc-1",
            ["CALLBACK_URL"] = receiver.Url,
            ["CALLBACK_TOKEN"] = CallbackToken,
            ["REPO_CLONE_URL"] = WithToken(services.Git.UrlOf("spc-web")),
            ["REPO_REF"] = commit,
            ["IMAGE_TAG"] = imageTag,
            ["GHCR_USER"] = AuthRegistry.User,
            ["GHCR_TOKEN"] = AuthRegistry.Password,
            ["ROOT_DIRECTORY"] = "web",
            ["BUILD_COMMAND"] = "",
            ["START_COMMAND"] = "",
            ["DOCKER_HOST"] = dockerd.Host,
            ["BUILDER_WORK_DIR"] = work.Path,
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1", ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1", // the test git server is http on loopback
        };
        await using var run = BuilderProcess.Start(["builder", "run"], env);
        var exit = await run.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, run.AllOutput);
        Assert.Contains("(docker)", run.AllOutput); // the Docker engine built it, not buildah

        var digest = await registry.DigestAsync($"docker://{imageTag}");
        Assert.Equal(["RUNNING", "SUCCEEDED"], receiver.Statuses("bj-spc-1"));
        var done = receiver.Last("bj-spc-1");
        Assert.Equal(imageTag, done.GetProperty("image").GetString());
        Assert.Equal(digest, done.GetProperty("digest").GetString());
        Assert.Equal(commit, done.GetProperty("commit").GetString());
        Assert.Empty(receiver.Rejections);
        foreach (var secret in new[] { BuilderServices.GitToken, AuthRegistry.Password, CallbackToken })
            Leaks.AssertAbsent(secret, run.Output, "the build log");
        Leaks.AssertAbsent(BuilderServices.GitToken, receiver.Bodies, "a callback body");
        Leaks.AssertAbsent(BuilderServices.GitToken, services.Git.RequestedUrls, "a requested URL");
        Leaks.AssertAbsentInTree(BuilderServices.GitToken, registry.Server.StorageDirectory);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path)); // checkout (.git/config included) is gone
    }

    [Fact]
    public async Task Single_purpose_container_without_DOCKER_HOST_uses_buildah_and_a_secret_adds_the_signature_to_the_token()
    {
        var commit = await services.SampleRepoAsync("spc-sig");
        await using var registry = await AuthRegistry.StartAsync();
        var secret = WebhookSigner.NewSecret();
        await using var receiver = new TokenCallbackReceiver(CallbackToken, secret);
        using var work = new TempDir("spcwork");
        var imageTag = $"{registry.Host}/acme-org/alice--spc-sig:{commit[..12]}";
        await using var run = BuilderProcess.Start(["builder", "run"], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "bj-spc-2",
            ["CALLBACK_URL"] = receiver.Url,
            ["CALLBACK_TOKEN"] = CallbackToken,
            ["CALLBACK_SECRET"] = secret,
            ["REPO_CLONE_URL"] = WithToken(services.Git.UrlOf("spc-sig")),
            ["REPO_REF"] = "main",
            ["IMAGE_TAG"] = imageTag,
            ["GHCR_USER"] = AuthRegistry.User,
            ["GHCR_TOKEN"] = AuthRegistry.Password,
            ["BUILDER_WORK_DIR"] = work.Path,
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1", ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1", // the test git server is http on loopback
        });
        Assert.True(await run.WaitAsync(TimeSpan.FromMinutes(5)) == 0, run.AllOutput);
        Assert.Contains("(buildah)", run.AllOutput);
        Assert.Equal(["RUNNING", "SUCCEEDED"], receiver.Statuses("bj-spc-2"));
        Assert.Equal(2, receiver.Signed);
        Assert.Equal(await registry.DigestAsync($"docker://{imageTag}"), receiver.Last("bj-spc-2").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Single_purpose_container_with_wrong_GHCR_credentials_fails_at_push_and_says_so_without_the_token()
    {
        await services.SampleRepoAsync("spc-deny");
        await using var registry = await AuthRegistry.StartAsync();
        await using var receiver = new TokenCallbackReceiver(CallbackToken);
        using var work = new TempDir("spcwork");
        await using var run = BuilderProcess.Start(["builder", "run"], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "bj-spc-3",
            ["CALLBACK_URL"] = receiver.Url,
            ["CALLBACK_TOKEN"] = CallbackToken,
            ["REPO_CLONE_URL"] = WithToken(services.Git.UrlOf("spc-deny")),
            ["IMAGE_TAG"] = $"{registry.Host}/acme-org/alice--spc-deny:x",
            ["GHCR_USER"] = AuthRegistry.User,
            ["GHCR_TOKEN"] = "wrong-password-SECRET",
            ["BUILDER_WORK_DIR"] = work.Path,
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1", ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1", // the test git server is http on loopback
        });
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(5)));
        var failed = receiver.Last("bj-spc-3");
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal("push", failed.GetProperty("failedStep").GetString());
        Leaks.AssertAbsent("wrong-password-SECRET", run.Output, "the build log");
        Leaks.AssertAbsent("wrong-password-SECRET", receiver.Bodies, "a callback body");
    }

    [Fact]
    public async Task Kubernetes_buildah_builder_Job_env_builds_the_context_with_BUILD_ARGS_tags_the_given_VERSION_and_refuses_it_again()
    {
        await services.Git.CreateRepositoryAsync("k8s-web", new Dictionary<string, string>
        {
            ["docker/app.Dockerfile"] = "FROM scratch\nARG GREETING=none\nARG NOTE\nLABEL greeting=\"$GREETING\" note=\"$NOTE\"\nCOPY hello.txt /hello.txt\n",
            ["app/hello.txt"] = "hello from the context\n",
            ["hello.txt"] = "the repository root is not the context\n",
        });
        await using var registry = await AuthRegistry.StartAsync();
        using var work = new TempDir("k8swork");
        Dictionary<string, string> Job(string id, string buildArgs) => new()
        {
            // The Job's environment, verbatim: github-credentials → GITHUB_TOKEN, registry-credentials → DOCKER_CONFIG.
            ["BUILD_JOB_ID"] = id,
            ["REPO_URL"] = services.Git.UrlOf("k8s-web"),
            ["BRANCH"] = "main",
            ["BUILD_CONTEXT"] = "app",
            ["DOCKERFILE_PATH"] = "docker/app.Dockerfile",
            ["BUILD_ARGS"] = buildArgs,
            ["VERSION"] = "7",
            ["TENANT"] = "acme",
            ["SERVICE"] = "k8s-web",
            ["GITHUB_TOKEN"] = BuilderServices.GitToken,
            ["DOCKER_CONFIG"] = registry.DockerConfig(work),
            ["BUILDER_REGISTRY"] = registry.Host,
            ["BUILDER_INSECURE_REGISTRIES"] = registry.Host,
            ["BUILDER_WORK_DIR"] = work.Combine("builds"),
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1", ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1", // the test git server is http on loopback
        };
        var image = $"{registry.Host}/tenants/acme/k8s-web";
        await using (var run = BuilderProcess.Start(["builder", "run"], Job("k8s-1", "--build-arg GREETING=hello --build-arg NOTE='two words; $(id)'")))
        {
            Assert.True(await run.WaitAsync(TimeSpan.FromMinutes(5)) == 0, run.AllOutput);
            Assert.Contains($"{image}:7", run.AllOutput);
            Leaks.AssertAbsent(BuilderServices.GitToken, run.Output, "the build log");
        }
        var digest = await registry.DigestAsync($"docker://{image}:7");
        Assert.Equal(digest, await registry.DigestAsync($"docker://{image}:latest"));
        using (var config = await registry.InspectAsync($"docker://{image}:7", config: true))
        {
            var labels = config.RootElement.GetProperty("config").GetProperty("Labels");
            Assert.Equal("hello", labels.GetProperty("greeting").GetString());
            Assert.Equal("two words; $(id)", labels.GetProperty("note").GetString()); // a value, never shell
        }

        await using (var again = BuilderProcess.Start(["builder", "run"], Job("k8s-2", "--build-arg GREETING=other")))
        {
            Assert.Equal(1, await again.WaitAsync(TimeSpan.FromMinutes(5)));
            Assert.Contains("version 7 of acme/k8s-web already exists", again.AllOutput);
        }
        Assert.Equal(digest, await registry.DigestAsync($"docker://{image}:7")); // untouched
    }

    [Fact]
    public async Task Kubernetes_buildah_builder_BUILD_ARGS_that_are_not_build_args_are_one_line()
    {
        await using var run = BuilderProcess.Start(["builder", "run"], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "k8s-bad", ["REPO_URL"] = services.Git.UrlOf("k8s-web"), ["TENANT"] = "acme", ["SERVICE"] = "x",
            ["BUILD_ARGS"] = "--build-arg OK=1 --upload-pack=evil",
        });
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("BUILD_ARGS: '--upload-pack=evil' is not part of '--build-arg K=V'", run.AllOutput);
    }

    [Fact]
    public async Task Queue_builder_request_is_built_and_its_consumers_get_its_notifications_beside_slipways()
    {
        var rabbit = await services.RabbitAsync();
        var db = await services.Postgres.CreateDatabaseAsync();
        var queue = "qb-" + Guid.NewGuid().ToString("N")[..8];
        var topology = new QueueTopology(queue, TimeSpan.FromSeconds(1));
        var (success, failure) = ("cm-" + queue, "conn-" + queue);
        await services.SampleRepoAsync("octo-org/qb-app");
        using var work = new TempDir("qbwork");
        await using var slipwayTap = await NotificationTap.StartAsync(rabbit.AmqpUrl, topology);
        await using var theirs = await ExchangeTap.StartAsync(rabbit.AmqpUrl, success, failure);
        await using var worker = BuilderProcess.Start(["builder", "serve", "--amqp", rabbit.AmqpUrl, "--postgres", db, "--registry", services.Registry.Host,
            "--queue", queue, "--retry-delay", "1", "--work-dir", work.Path, "--github-url", services.Git.Origin,
            "--queue-builder-success-exchange", success, "--queue-builder-failure-exchange", failure, .. BuilderServices.AllowTestGit]);

        // What the queue builder's producers publish, verbatim (no id, no tenant, no URL).
        await PublishRawAsync(rabbit.AmqpUrl, queue, $$"""{"token":"{{BuilderServices.GitToken}}","userID":"User42","type":"repo","connector":"github","repo":"octo-org/qb-app"}""");
        await PublishRawAsync(rabbit.AmqpUrl, queue, $$"""{"token":"{{BuilderServices.GitToken}}","userID":"User42","type":"gist","connector":"github","repo":"octo-org/qb-app"}""");

        var ok = await theirs.WaitAsync(success, TimeSpan.FromMinutes(5), worker);
        Assert.Equal("User42", ok.GetProperty("userID").GetString());
        Assert.Equal("octo-org/qb-app", ok.GetProperty("repo").GetString());
        Assert.Equal("github", ok.GetProperty("connector").GetString());
        Assert.Equal("repo", ok.GetProperty("type").GetString());
        Assert.Equal($"{services.Registry.Host}/tenants/user42/qb-app:1", ok.GetProperty("image").GetString());
        Assert.Equal(await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/user42/qb-app:1"), ok.GetProperty("digest").GetString());
        var no = await theirs.WaitAsync(failure, TimeSpan.FromMinutes(2), worker);
        Assert.Equal("User42", no.GetProperty("userID").GetString());
        Assert.True(no.GetProperty("rejected").GetBoolean());
        Assert.Contains("type 'gist' is not supported", no.GetProperty("reason").GetString());

        // Slipway's own notifications went out too.
        var until = DateTime.UtcNow.AddMinutes(1);
        while ((slipwayTap.Succeeded.IsEmpty || slipwayTap.Failed.IsEmpty) && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Contains(slipwayTap.Succeeded, s => s.Tenant == "user42" && s.Service == "qb-app" && s.Version == 1);
        Assert.Contains(slipwayTap.Failed, f => f.Rejected);
        Leaks.AssertAbsent(BuilderServices.GitToken, worker.Output, "the worker log");
        Leaks.AssertAbsent(BuilderServices.GitToken, theirs.Bodies, "a notification");
    }

    private static async Task PublishRawAsync(string amqp, string queue, string json)
    {
        await using var connection = await QueueTopology.Factory(amqp, "queue-builder-producer").CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync("", queue, mandatory: false, basicProperties: new BasicProperties { Persistent = true, ContentType = "application/json" }, body: Encoding.UTF8.GetBytes(json));
    }
}

/// <summary>The queue builder's consumers: one exclusive queue bound to each of its exchanges.</summary>
public sealed class ExchangeTap : IAsyncDisposable
{
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Exchange, JsonElement Body)> _messages = new();
    public IEnumerable<string> Bodies => _messages.Select(m => m.Body.GetRawText());

    public static async Task<ExchangeTap> StartAsync(string amqp, params string[] exchanges)
    {
        var tap = new ExchangeTap();
        tap._connection = await QueueTopology.Factory(amqp, "queue-builder-consumer").CreateConnectionAsync();
        tap._channel = await tap._connection.CreateChannelAsync();
        foreach (var exchange in exchanges)
        {
            await tap._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            var q = await tap._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
            await tap._channel.QueueBindAsync(q.QueueName, exchange, "");
            var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(tap._channel);
            consumer.ReceivedAsync += (_, e) =>
            {
                using var doc = JsonDocument.Parse(e.Body);
                tap._messages.Enqueue((exchange, doc.RootElement.Clone()));
                return Task.CompletedTask;
            };
            await tap._channel.BasicConsumeAsync(q.QueueName, autoAck: true, consumer);
        }
        return tap;
    }

    public async Task<JsonElement> WaitAsync(string exchange, TimeSpan timeout, BuilderProcess worker)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var hit = _messages.FirstOrDefault(m => m.Exchange == exchange);
            if (hit.Exchange is not null) return hit.Body;
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing on {exchange} within {timeout}; worker said:\n{worker.AllOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await _channel.CloseAsync(); await _connection.CloseAsync(); } catch (Exception) { }
        _connection.Dispose();
    }
}
