using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using Slipway.Builder.Queue;

namespace Slipway.Builder.Tests.Support;

/// <summary>Listens on the succeeded and failed exchanges (as the container manager and the user-facing service would).</summary>
public sealed class NotificationTap : IAsyncDisposable
{
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    public ConcurrentQueue<SuccessNotification> Succeeded { get; } = new();
    public ConcurrentQueue<FailureNotification> Failed { get; } = new();

    public static async Task<NotificationTap> StartAsync(string amqp, QueueTopology topology)
    {
        var tap = new NotificationTap();
        tap._connection = await QueueTopology.Factory(amqp, "test-tap").CreateConnectionAsync();
        tap._channel = await tap._connection.CreateChannelAsync();
        await topology.DeclareAsync(tap._channel, default);
        foreach (var (exchange, success) in new[] { (topology.SucceededExchange, true), (topology.FailedExchange, false) })
        {
            var q = await tap._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
            await tap._channel.QueueBindAsync(q.QueueName, exchange, "");
            var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(tap._channel);
            consumer.ReceivedAsync += (_, e) =>
            {
                if (success) tap.Succeeded.Enqueue(JsonSerializer.Deserialize<SuccessNotification>(e.Body.Span, BuildRequest.Json)!);
                else tap.Failed.Enqueue(JsonSerializer.Deserialize<FailureNotification>(e.Body.Span, BuildRequest.Json)!);
                return Task.CompletedTask;
            };
            await tap._channel.BasicConsumeAsync(q.QueueName, autoAck: true, consumer);
        }
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _channel.CloseAsync(); await _connection.CloseAsync(); } catch (Exception) { }
        _connection.Dispose();
    }
}
