using LinkTracker.Core.Clicks;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// Publishes one tenant's clicks as one persistent message to its quorum queue and returns after the broker's
/// confirm. Mandatory routing: a message no queue takes is an error, never a silent drop. Any failure drops the
/// connection, so the next call starts on a fresh one (the broker may have restarted).
/// </summary>
public sealed class RabbitMqClickPublisher(ConnectionFactory factory, ClickQueues queues) : IClickPublisher, IAsyncDisposable
{
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task PublishAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        var body = ClickCodec.Encode(tenant, clicks);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConfirmTimeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await ChannelAsync(timeout.Token);
            var queue = queues.For(tenant);
            if (!_declared.Contains(queue))
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, queues.TenantQueueArguments(), cancellationToken: timeout.Token);
                _declared.Add(queue);
            }

            var properties = new BasicProperties { Persistent = true, MessageId = clicks[0].Id.ToString(), ContentType = ClickQueues.ContentType };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, timeout.Token);
        }
        catch
        {
            await ResetAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetAsync();
        _connection = await factory.CreateConnectionAsync("linktracker-forwarder", cancellationToken);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await _channel.QueueDeclareAsync(queues.Dead, durable: true, exclusive: false, autoDelete: false, ClickQueues.DeadQueueArguments(), cancellationToken: cancellationToken);
        return _channel;
    }

    private async Task ResetAsync()
    {
        _declared.Clear();
        var (channel, connection) = (_channel, _connection);
        (_channel, _connection) = (null, null);
        await RabbitMqClose.QuietlyAsync(channel, connection);
    }
}
