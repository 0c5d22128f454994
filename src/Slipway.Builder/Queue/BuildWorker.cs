using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.Model;
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
    private Slot[] _slots = [];

    /// <summary>One consumer: its channel (replaced when the broker closes it) and whether a build runs on it.</summary>
    private sealed class Slot
    {
        public IChannel? Channel;
        public volatile bool Busy;
        public Task Running = Task.CompletedTask;
        public int ClosedChecks;
        public string? Down;
    }

    /// <summary>
    /// The consumer timeout asked of the broker per consumer: above the build deadline, with room for the clone
    /// before it and the tagging and callbacks after (RabbitMQ 3.11.15 and later; older brokers use their
    /// server-wide <c>consumer_timeout</c>, see docs/security.md).
    /// </summary>
    public TimeSpan ConsumerTimeout => options.BuildTimeout + TimeSpan.FromMinutes(15);

    public bool Connected => _connection is { IsOpen: true };

    /// <summary>What keeps the worker from taking requests (empty: healthy): the connection, or a consumer that is down.</summary>
    public IReadOnlyList<string> Problems()
    {
        if (!Connected) return ["RabbitMQ is unreachable"];
        if (_slots.Length == 0) return ["consumers not started yet"];
        return _slots.Select((s, i) => s.Channel is { IsOpen: true } ? null : $"consumer w{i} is down ({s.Down ?? "channel closed"}); reopening")
            .OfType<string>().ToList();
    }

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
        WarnAboutConsumerTimeout(_connection);
        await using (var declare = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), stoppingToken))
        {
            await options.Topology.DeclareAsync(declare, stoppingToken);
            // The queue builder contract's notification exchanges (Contracts/QueueBuilderContract).
            foreach (var exchange in new[] { options.QueueBuilderSuccessExchange, options.QueueBuilderFailureExchange })
                await declare.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stoppingToken);
        }
        _slots = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => new Slot()).ToArray();
        for (var i = 0; i < _slots.Length; i++) await OpenConsumerAsync(i, stoppingToken);
        logger.LogInformation("worker {Name}: {Workers} consumer(s) on {Queue}, build timeout {Timeout}", options.Name, _slots.Length, options.Topology.BuildQueue, Running.Durations.Format(options.BuildTimeout));
        try
        {
            // A channel the broker closes (a consumer timeout, a channel error) is not recovered by the client (only
            // a lost connection is): reopen it here, once its build has finished and the connection is up. A closed
            // channel seen for a few checks in a row is not one that connection recovery is about to bring back.
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                for (var i = 0; i < _slots.Length; i++)
                {
                    var slot = _slots[i];
                    if (slot.Channel is { IsOpen: true } || !Connected) { slot.ClosedChecks = 0; continue; }
                    slot.Down ??= slot.Channel?.CloseReason is { } r ? $"closed by the broker: {r.ReplyCode} {r.ReplyText}" : "channel closed";
                    if (slot.Busy || ++slot.ClosedChecks < 3) continue;
                    logger.LogWarning("consumer w{Slot} is down ({Reason}); reopening it", i, slot.Down);
                    try { await OpenConsumerAsync(i, stoppingToken); }
                    catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning("consumer w{Slot}: reopening failed ({Message}); retrying", i, e.Message); }
                }
            }
        }
        catch (OperationCanceledException) { }
        // Builds see the cancellation and stop (their requests stay unacked and go back to the queue).
        await Task.WhenAny(Task.WhenAll(_slots.Select(s => s.Running)), Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
        foreach (var s in _slots)
        {
            try { if (s.Channel is { } c) await c.CloseAsync(); } catch (Exception) { }
            s.Channel?.Dispose();
        }
        await _connection.CloseAsync();
        _connection.Dispose();
    }

    private async Task OpenConsumerAsync(int slot, CancellationToken ct)
    {
        var old = _slots[slot].Channel;
        var channel = await _connection!.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
        await channel.BasicQosAsync(0, 1, false, ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        // The build runs beside the consumer, not inside its handler: a channel the broker closes mid-build would
        // otherwise wait for the handler (the whole build) before the connection reads again, so heartbeats stop
        // and the connection is lost too. Prefetch 1 still keeps one request per slot.
        consumer.ReceivedAsync += (_, d) =>
        {
            var copy = new BasicDeliverEventArgs(d.ConsumerTag, d.DeliveryTag, d.Redelivered, d.Exchange, d.RoutingKey,
                new BasicProperties(d.BasicProperties), d.Body.ToArray(), CancellationToken.None);
            _slots[slot].Busy = true;
            _slots[slot].Running = Task.Run(() => HandleAsync(channel, slot, copy, ct), CancellationToken.None);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(options.Topology.BuildQueue, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-consumer-timeout"] = (long)ConsumerTimeout.TotalMilliseconds }, consumer, ct);
        _slots[slot].Channel = channel;
        _slots[slot].Down = null;
        _slots[slot].ClosedChecks = 0;
        old?.Dispose();
    }

    /// <summary>Brokers before 3.11.15 ignore the per-consumer timeout; their server-wide one must be above the deadline.</summary>
    private void WarnAboutConsumerTimeout(IConnection connection)
    {
        if (connection.ServerProperties?.TryGetValue("version", out var raw) != true) return;
        var text = raw is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : raw?.ToString();
        if (!Version.TryParse(text?.Split('-', '+')[0], out var version) || version >= new Version(3, 11, 15)) return;
        logger.LogWarning("RabbitMQ {Version} ignores the per-consumer timeout this worker asks for ({Ms} ms); set consumer_timeout = {Ms} (or more) in rabbitmq.conf, otherwise builds longer than its consumer_timeout (default 30 min) lose their channel",
            text, (long)ConsumerTimeout.TotalMilliseconds, (long)ConsumerTimeout.TotalMilliseconds);
    }

    private async Task HandleAsync(IChannel channel, int slot, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        try { await HandleDeliveryAsync(channel, slot, delivery, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "w{Slot}: delivery handling failed", slot); }
        catch (OperationCanceledException) { }
        finally { _slots[slot].Busy = false; }
    }

    private async Task HandleDeliveryAsync(IChannel channel, int slot, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        // The request's own secrets (its token) are masked in this build's lines only, not in every tenant's.
        using var secrets = Secrets.BeginScope();
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
            spec = request.ToSpec(attempt, options.CallbackSecret, options.GitHubApp, options.Policy);
        }
        catch (StepFailure e)
        {
            logger.LogWarning("rejected request: {Reason}", e.Message);
            var id = original?.Id;
            await PublishNotification(options.Topology.FailedExchange, new FailureNotification(id, e.Message, "validate", attempt, null, null, Rejected: true), id, ct);
            if (original is not null && Contracts.QueueBuilderContract.Applies(original))
                await PublishNotification(options.QueueBuilderFailureExchange, Contracts.QueueBuilderContract.FailureFor(original, id, e.Message, "validate", attempt, rejected: true), id, ct);
            await DeadLetterAsync(delivery, "validate", e.Message, ct);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            return;
        }
        var queueBuilder = Contracts.QueueBuilderContract.Applies(original) ? original : null;

        var prefix = $"[{spec.BuildId} #{attempt} w{slot}] ";
        var total = System.Diagnostics.Stopwatch.StartNew();
        if (QueueTopology.SubmittedOf(delivery.BasicProperties) is { } submitted)
            logger.LogInformation("{Prefix}delivered {Ms} ms after publish", prefix, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - submitted);
        try
        {
            var coordinator = new BuildCoordinator(executor, store, options.Registry, callbacks, $"{options.Name}/{slot}", options.BuildTimeout) { InsecureRegistries = options.InsecureRegistries };
            var result = await coordinator.RunAsync(spec, options.MaxAttempts, line => logger.LogInformation("{Line}", prefix + line), ct);
            switch (result)
            {
                case BuildResult.Succeeded ok:
                    await PublishNotification(options.Topology.SucceededExchange,
                        new SuccessNotification(ok.BuildId, ok.Image.Reference, ok.Image.Digest, ok.Tenant, ok.Service, ok.Version, ok.Commit), ok.BuildId, ct);
                    if (queueBuilder is not null)
                        await PublishNotification(options.QueueBuilderSuccessExchange, Contracts.QueueBuilderContract.SuccessFor(queueBuilder, ok), ok.BuildId, ct);
                    break;
                case BuildResult.Failed { Rejected: true } f:
                    logger.LogWarning("{Prefix}rejected to {Queue}: {Reason}", prefix, options.Topology.DeadLetterQueue, f.Message);
                    await PublishNotification(options.Topology.FailedExchange,
                        new FailureNotification(f.BuildId, f.Message, f.Step, f.Attempt, spec.Tenant, spec.Service, Rejected: true), f.BuildId, ct);
                    await DeadLetterAsync(delivery, f.Step, f.Message, ct);
                    break;
                case BuildResult.Failed { Final: false } f:
                    logger.LogInformation("{Prefix}retry in {Delay} s (attempt {Next} of {Max})", prefix, options.Topology.RetryDelay.TotalSeconds, attempt + 1, options.MaxAttempts);
                    await PublishAsync("", options.Topology.FailQueue, body, spec.BuildId, attempt + 1, ct);
                    break;
                case BuildResult.Failed f:
                    await PublishNotification(options.Topology.FailedExchange,
                        new FailureNotification(f.BuildId, f.Message, f.Step, f.Attempt, spec.Tenant, spec.Service, Rejected: false), f.BuildId, ct);
                    if (queueBuilder is not null)
                        await PublishNotification(options.QueueBuilderFailureExchange, Contracts.QueueBuilderContract.FailureFor(queueBuilder, f.BuildId, f.Message, f.Step, f.Attempt, rejected: false), f.BuildId, ct);
                    break;
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            logger.LogInformation("{Prefix}acked, {Ms} ms from delivery", prefix, total.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down mid-build: no ack, the broker hands the request to another worker.
        }
        catch (RabbitMQ.Client.Exceptions.AlreadyClosedException) when (!channel.IsOpen)
        {
            logger.LogWarning("{Prefix}its channel was closed during the build ({Reason}); the broker requeued the request, and the next delivery answers it from the store",
                prefix, channel.CloseReason is { } r ? $"{r.ReplyCode} {r.ReplyText}" : "closed");
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
                await DeadLetterAsync(delivery, "worker", $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
            }
            catch (Exception) { /* channel gone: redelivered to another worker */ }
        }
    }

    /// <summary>The request as it came, with the reason it can never be built, kept on the dead-letter queue.</summary>
    private async Task DeadLetterAsync(BasicDeliverEventArgs delivery, string step, string reason, CancellationToken ct)
    {
        var headers = new Dictionary<string, object?>(delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            [QueueTopology.ReasonHeader] = Running.LogLines.Clean(Secrets.Redact(reason)),
            [QueueTopology.StepHeader] = step,
        };
        var props = new BasicProperties { Persistent = true, ContentType = delivery.BasicProperties.ContentType, MessageId = delivery.BasicProperties.MessageId, Headers = headers };
        await _publishGate.WaitAsync(ct);
        try
        {
            if (_publish is not { IsOpen: true }) _publish = await _connection!.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            await _publish.BasicPublishAsync(options.Topology.DeadLetterExchange, "", mandatory: false, basicProperties: props, body: delivery.Body.ToArray(), cancellationToken: ct);
        }
        finally { _publishGate.Release(); }
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
