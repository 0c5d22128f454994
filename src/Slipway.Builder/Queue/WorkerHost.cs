using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.GitHub;
using Slipway.Builder.Http;
using Slipway.Builder.Store;

namespace Slipway.Builder.Queue;

/// <summary>Hosts the worker (Microsoft.Extensions.Hosting), with the read-only HTTP API in the same host when asked.</summary>
public static class WorkerHost
{
    public static async Task RunAsync(WorkerOptions options, CancellationToken cancellationToken)
    {
        await using var store = await BuildStore.OpenAsync(options.Postgres, cancellationToken);
        void Configure(IServiceCollection services, ILoggingBuilder logging)
        {
            logging.ClearProviders();
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
            logging.AddFilter("Microsoft", LogLevel.Warning);
            services.AddSingleton(options);
            services.AddSingleton(store);
            services.AddSingleton<IExecutor>(CreateExecutor(options));
            services.AddSingleton(sp => new CallbackSender(CallbackSender.CreateHttpClient(), null, line => sp.GetRequiredService<ILogger<CallbackSender>>().LogWarning("{Line}", line)));
            services.AddSingleton<BuildWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<BuildWorker>());
        }

        if (options.Http is { } http)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
            // A bare port binds loopback only: the API is reachable from elsewhere only where the operator says so.
            builder.WebHost.UseUrls(int.TryParse(http, out var port) ? $"http://127.0.0.1:{port}" : $"http://{http}");
            Configure(builder.Services, builder.Logging);
            var app = builder.Build();
            BuilderApi.Map(app, options.ApiTokens);
            await app.RunAsync(cancellationToken);
        }
        else
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            Configure(builder.Services, builder.Logging);
            await builder.Build().RunAsync(cancellationToken);
        }
    }

    /// <summary>The executor --executor names; kubernetes binds its typed options from SLIPWAY_KUBERNETES__* once.</summary>
    public static IExecutor CreateExecutor(WorkerOptions options) => options.Executor switch
    {
        "local" => new LocalExecutor(new LocalExecutorOptions
        {
            Registry = options.Registry,
            WorkRoot = options.WorkRoot ?? new LocalExecutorOptions().WorkRoot,
            Sandbox = options.Sandbox,
            GitHubTokens = new GitHubAppTokens(options.GitHubApiUrl),
            InsecureRegistries = options.InsecureRegistries,
        }),
        "kubernetes" => new Executors.Kubernetes.KubernetesExecutor(Executors.Kubernetes.KubernetesExecutorOptions.Bind(
            new ConfigurationBuilder().AddEnvironmentVariables("SLIPWAY_").Build()) with { Registry = options.Registry, Policy = options.Policy },
            gitHubTokens: new GitHubAppTokens(options.GitHubApiUrl)),
        var other => throw new ArgumentException($"--executor '{other}' is not known. Available executors are: local, kubernetes"),
    };
}
