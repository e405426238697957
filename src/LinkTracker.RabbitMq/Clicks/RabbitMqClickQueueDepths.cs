using LinkTracker.Core.Clicks;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// Ready messages per tenant click queue (a passive declare; messages a writer holds are not in it), kept a second so
/// that stats calls do not each ask the broker. A queue not declared yet, or a broker out of reach, reads as 0.
/// </summary>
public sealed class RabbitMqClickQueueDepths(ConnectionFactory factory, ClickQueues queues, TimeProvider time) : IClickQueueDepths, IAsyncDisposable
{
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (long Messages, long At)> _known = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<long> ReadyMessagesAsync(string tenant, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known.TryGetValue(tenant, out var known) && time.GetElapsedTime(known.At) < Keep)
            {
                return known.Messages;
            }

            long messages;
            try
            {
                if (_channel is not { IsOpen: true })
                {
                    await RabbitMqClose.QuietlyAsync(_channel, _connection);
                    _connection = await factory.CreateConnectionAsync("linktracker-queue-depths", cancellationToken);
                    _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
                }

                messages = (await _channel.QueueDeclarePassiveAsync(queues.For(tenant), cancellationToken)).MessageCount;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                messages = 0; // no queue yet (the passive declare closed the channel), or no broker: nothing known to wait there
            }

            _known[tenant] = (messages, time.GetTimestamp());
            return messages;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RabbitMqClose.QuietlyAsync(_channel, _connection);
        _gate.Dispose();
    }
}
