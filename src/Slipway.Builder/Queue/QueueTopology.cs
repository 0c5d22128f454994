using RabbitMQ.Client;

namespace Slipway.Builder.Queue;

/// <summary>
/// Names and declarations, all durable: the build queue; its fail queue, whose messages expire after the retry
/// delay and dead-letter back into the build queue; a fanout exchange for give-ups and rejections (the user-facing
/// service listens there) and one for successes (the container manager listens there); a dead-letter exchange
/// with its queue for requests that can never be built (invalid, unstorable, an id of another tenant's), each
/// with its reason in the <see cref="ReasonHeader"/> header, kept for the operator instead of being requeued.
/// </summary>
public sealed record QueueTopology(string BuildQueue = "slipway.builds", TimeSpan? RetryDelayOrNull = null)
{
    public const string AttemptHeader = "x-slipway-attempt";
    public const string SubmittedHeader = "x-slipway-submitted-ms";
    public const string ReasonHeader = "x-slipway-reason";
    public const string StepHeader = "x-slipway-step";
    public TimeSpan RetryDelay => RetryDelayOrNull ?? TimeSpan.FromSeconds(30);
    public string FailQueue => BuildQueue + ".retry";
    public string FailedExchange => BuildQueue + ".failed";
    public string SucceededExchange => BuildQueue + ".succeeded";
    public string DeadLetterExchange => BuildQueue + ".dead";
    public string DeadLetterQueue => BuildQueue + ".dead";

    public async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.QueueDeclareAsync(BuildQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
        await channel.QueueDeclareAsync(FailQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (int)RetryDelay.TotalMilliseconds,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = BuildQueue,
        }, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(FailedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(SucceededExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
        await channel.QueueBindAsync(DeadLetterQueue, DeadLetterExchange, "", cancellationToken: ct);
    }

    public static int AttemptOf(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is null || !properties.Headers.TryGetValue(AttemptHeader, out var value) || value is null) return 1;
        return value switch
        {
            int i => i,
            long l => (int)l,
            byte[] b when int.TryParse(System.Text.Encoding.UTF8.GetString(b), out var p) => p,
            _ => 1,
        };
    }

    /// <summary>When the message was published (Unix ms), if the publisher said so.</summary>
    public static long? SubmittedOf(IReadOnlyBasicProperties properties) =>
        properties.Headers is { } h && h.TryGetValue(SubmittedHeader, out var v) ? v switch { long l => l, int i => i, _ => null } : null;

    public static ConnectionFactory Factory(string amqpUrl, string clientName) => new()
    {
        Uri = new Uri(amqpUrl),
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        RequestedHeartbeat = TimeSpan.FromSeconds(10),
        ClientProvidedName = clientName,
    };
}

/// <summary>Published on the succeeded exchange: what the container manager deploys.</summary>
public sealed record SuccessNotification(string BuildId, string Image, string Digest, string? Tenant, string? Service, int? Version, string? Commit);

/// <summary>Published on the failed exchange: a build given up on (attempts exhausted or permanent) or a request rejected.</summary>
public sealed record FailureNotification(string? BuildId, string Reason, string? Step, int Attempt, string? Tenant, string? Service, bool Rejected);
