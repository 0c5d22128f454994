using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Slipway.Tooling;

namespace Slipway.Builder.Queue;

/// <summary>Publishes to the build topology with publisher confirms: returns only once the broker has the message.</summary>
public static class BuildPublisher
{
    public static async Task SubmitAsync(string amqpUrl, QueueTopology topology, BuildRequest request, CancellationToken ct)
    {
        try
        {
            await using var connection = await QueueTopology.Factory(amqpUrl, "slipway-submit").CreateConnectionAsync(ct);
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            await topology.DeclareAsync(channel, ct);
            await PublishAsync(channel, "", topology.BuildQueue, request.ToJson(), request.Id, 1, ct);
        }
        catch (BrokerUnreachableException e)
        {
            throw new StepFailure("submit", FailureClass.Transient, $"RabbitMQ at {Secrets.Redact(new Uri(amqpUrl).GetLeftPart(UriPartial.Authority))} is unreachable ({e.InnerException?.Message ?? e.Message}); is it running?");
        }
    }

    /// <summary>Persistent publish, awaited until confirmed (the channel tracks confirmations, a nack throws).</summary>
    internal static async Task PublishAsync(IChannel channel, string exchange, string routingKey, byte[] body, string? messageId, int attempt, CancellationToken ct)
    {
        var props = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = messageId,
            // Submit time in ms (AMQP's own timestamp has whole seconds): the worker logs the queue delivery time.
            Headers = new Dictionary<string, object?> { [QueueTopology.AttemptHeader] = attempt, [QueueTopology.SubmittedHeader] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
        };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, basicProperties: props, body: body, cancellationToken: ct);
    }

    internal static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, BuildRequest.Json);
}
