using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.Running;
using Slipway.Builder.Store;
using Slipway.Tooling;

namespace Slipway.Builder.Queue;

/// <summary>
/// The queue worker: N consumers (one channel each, prefetch 1, manual ack) on the durable build queue. Each
/// request is validated (rejected with its reason otherwise), run through the <see cref="BuildCoordinator"/>,
/// and only then acked: success → notification for the container manager; transient failure with attempts left →
/// fail queue with attempt+1 (back after the TTL); final failure → give-up notification. Publishes are confirmed
/// before the ack, so a crash in between redelivers rather than loses. The connection recovers by itself after a
/// broker restart (consumers and topology included).
/// </summary>
public sealed class BuildWorker(WorkerOptions options, BuildStore store, IExecutor executor, CallbackSender callbacks, ILogger<BuildWorker> logger) : BackgroundService
{
    private IConnection? _connection;

    public bool Connected => _connection is { IsOpen: true };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = QueueTopology.Factory(options.Amqp, "slipway-builder " + options.Name);
        while (_connection is null)
        {
            try { _connection = await factory.CreateConnectionAsync(stoppingToken); }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
            {
                logger.LogWarning("RabbitMQ unreachable ({Message}); retrying", e.InnerException?.Message ?? e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
        await using var publishChannel = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), stoppingToken);
        await options.Topology.DeclareAsync(publishChannel, stoppingToken);
        foreach (var exchange in new[] { options.QueueBuilderSuccessExchange, options.QueueBuilderFailureExchange })
            await publishChannel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stoppingToken);
        var channels = new List<IChannel>();
        for (var i = 0; i < Math.Max(1, options.Workers); i++)
        {
            var channel = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), stoppingToken);
            await channel.BasicQosAsync(0, 1, false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            var slot = i;
            consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, slot, delivery, stoppingToken);
            await channel.BasicConsumeAsync(options.Topology.BuildQueue, autoAck: false, consumer, stoppingToken);
            channels.Add(channel);
        }
        logger.LogInformation("worker {Name}: {Workers} consumer(s) on {Queue}", options.Name, channels.Count, options.Topology.BuildQueue);
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
        foreach (var c in channels)
        {
            try { await c.CloseAsync(); } catch (Exception) { }
            c.Dispose();
        }
        await _connection.CloseAsync();
        _connection.Dispose();
    }

    private async Task HandleAsync(IChannel channel, int slot, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        var attempt = QueueTopology.AttemptOf(delivery.BasicProperties);
        var body = delivery.Body.ToArray();
        Model.BuildSpec spec;
        BuildRequest? original = null;
        try
        {
            original = BuildRequest.Parse(body);
            var request = Contracts.QueueBuilderContract.Normalize(original, options.GitHubUrl, delivery.BasicProperties.MessageId);
            // An id the worker gave a queue-builder request stays with it through the fail queue.
            // Only the id: the retry sees the producer's own fields again (its notifications repeat them).
            if (request.Id != original.Id) body = (original with { Id = request.Id }).ToJson();
            spec = request.ToSpec(attempt, options.CallbackSecret, options.GitHubApp);
        }
        catch (StepFailure e)
        {
            logger.LogWarning("rejected request: {Reason}", e.Message);
            var id = original?.Id;
            await PublishNotification(options.Topology.FailedExchange, new FailureNotification(id, e.Message, "validate", attempt, null, null, Rejected: true), id, ct);
            if (original is not null && Contracts.QueueBuilderContract.Applies(original))
                await PublishNotification(options.QueueBuilderFailureExchange, Contracts.QueueBuilderContract.FailureFor(original, id, e.Message, "validate", attempt, rejected: true), id, ct);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, ct);
            return;
        }
        var queueBuilder = Contracts.QueueBuilderContract.Applies(original) ? original : null;

        var prefix = $"[{spec.BuildId} #{attempt} w{slot}] ";
        var total = System.Diagnostics.Stopwatch.StartNew();
        if (QueueTopology.SubmittedOf(delivery.BasicProperties) is { } submitted)
            logger.LogInformation("{Prefix}delivered {Ms} ms after publish", prefix, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - submitted);
        try
        {
            var coordinator = new BuildCoordinator(executor, store, options.Registry, callbacks, $"{options.Name}/{slot}") { InsecureRegistries = options.InsecureRegistries };
            var report = await coordinator.RunAsync(spec, options.MaxAttempts, line => logger.LogInformation("{Line}", prefix + line), ct);
            switch (report)
            {
                case BuildReport.Succeeded ok:
                    await PublishNotification(options.Topology.SucceededExchange,
                        new SuccessNotification(ok.BuildId, ok.Image, ok.Digest, ok.Tenant, ok.Service, ok.Version, ok.Commit), ok.BuildId, ct);
                    if (queueBuilder is not null)
                        await PublishNotification(options.QueueBuilderSuccessExchange, Contracts.QueueBuilderContract.SuccessFor(queueBuilder, ok), ok.BuildId, ct);
                    break;
                case BuildReport.Failed { Final: false } f:
                    logger.LogInformation("{Prefix}retry in {Delay} s (attempt {Next} of {Max})", prefix, options.Topology.RetryDelay.TotalSeconds, attempt + 1, options.MaxAttempts);
                    await PublishAsync("", options.Topology.FailQueue, body, spec.BuildId, attempt + 1, ct);
                    break;
                case BuildReport.Failed f:
                    await PublishNotification(options.Topology.FailedExchange,
                        new FailureNotification(f.BuildId, f.Error, f.Step, f.Attempt, spec.Tenant, spec.Service, Rejected: false), f.BuildId, ct);
                    if (queueBuilder is not null)
                        await PublishNotification(options.QueueBuilderFailureExchange, Contracts.QueueBuilderContract.FailureFor(queueBuilder, f.BuildId, f.Error, f.Step, f.Attempt, rejected: false), f.BuildId, ct);
                    break;
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            logger.LogInformation("{Prefix}acked, {Ms} ms from delivery", prefix, total.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down mid-build: no ack, the broker hands the request to another worker.
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or TimeoutException)
        {
            logger.LogWarning("{Prefix}infrastructure problem ({Message}); the request goes back on the queue", prefix, Secrets.Redact(e.Message));
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            try { await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None); }
            catch (Exception) { /* channel gone: the broker redelivers anyway */ }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A bug, not the build's fault: requeueing would loop on it, so the request is given up with the reason.
            logger.LogError(e, "{Prefix}unexpected failure; giving the request up", prefix);
            try
            {
                await PublishNotification(options.Topology.FailedExchange,
                    new FailureNotification(spec.BuildId, Secrets.Redact(e.Message), "worker", attempt, spec.Tenant, spec.Service, Rejected: false), spec.BuildId, CancellationToken.None);
                await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None);
            }
            catch (Exception) { /* channel gone: redelivered to another worker */ }
        }
    }

    private IChannel? _publish;
    private readonly SemaphoreSlim _publishGate = new(1, 1);

    private Task PublishNotification<T>(string exchange, T notification, string? id, CancellationToken ct) =>
        PublishAsync(exchange, "", BuildPublisher.Json(notification), id, 1, ct);

    /// <summary>One shared confirm channel for the consumers' publishes, one publish at a time.</summary>
    private async Task PublishAsync(string exchange, string routingKey, byte[] body, string? id, int attempt, CancellationToken ct)
    {
        await _publishGate.WaitAsync(ct);
        try
        {
            if (_publish is not { IsOpen: true }) _publish = await _connection!.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            await BuildPublisher.PublishAsync(_publish, exchange, routingKey, body, id, attempt, ct);
        }
        finally { _publishGate.Release(); }
    }
}
