using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// A writer's inbox on the broker: it consumes every tenant's click queue with manual acks and a bounded prefetch
/// per queue, keeps what arrived per tenant, and acknowledges a delivery only when the writer says its clicks are
/// committed. A lost connection (broker restart, network) drops everything unacknowledged here: the broker delivers
/// it again, to this writer after it reconnects or to another one, and the store's upsert by id absorbs the replay.
/// </summary>
public sealed partial class RabbitMqClickInbox : IClickInbox, IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ClickQueues _queues;
    private readonly ushort _prefetch;
    private readonly Func<CancellationToken, Task<IReadOnlyList<string>>> _tenants;
    private readonly TimeSpan _refresh;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ClickDeliveries _deliveries = new();
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IConnection? _connection;
    private IChannel? _channel;
    private long _rejected;
    private int _disposed;
    private Task _supervisor = Task.CompletedTask;

    /// <param name="factory">The broker's connection settings (automatic recovery off: this class reconnects itself).</param>
    /// <param name="queues">The queue names.</param>
    /// <param name="prefetch">Unacknowledged messages per tenant queue held here: the memory bound.</param>
    /// <param name="tenants">Every tenant whose queue to consume; asked again every <paramref name="refresh"/> (new tenants).</param>
    /// <param name="refresh">How often to look for new tenants.</param>
    /// <param name="logger">Where connection trouble is reported.</param>
    public RabbitMqClickInbox(
        ConnectionFactory factory,
        ClickQueues queues,
        ushort prefetch,
        Func<CancellationToken, Task<IReadOnlyList<string>>> tenants,
        TimeSpan refresh,
        ILogger<RabbitMqClickInbox> logger)
    {
        _factory = factory;
        _queues = queues;
        _prefetch = prefetch;
        _tenants = tenants;
        _refresh = refresh;
        _logger = logger;
    }

    /// <summary>Deliveries rejected as unreadable (sent to the dead queue).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Connects in the background and keeps connecting: a writer starts even while the broker is down.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> TenantsWithWork()
    {
        lock (_gate)
        {
            return _deliveries.TenantsWithWork();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _arrived.WaitAsync(timeout, cancellationToken);

    public Task<ClickBatch?> TakeAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // At most max clicks: a message larger than that (or than what is left) is taken in parts, and acknowledged
            // to the broker only with its last part; until then a crash redelivers it whole (the store absorbs it).
            return Task.FromResult<ClickBatch?>(_deliveries.Take(tenant, max) is { } taken ? new DeliveredBatch(this, tenant, taken) : null);
        }
    }

    public Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_deliveries.OldestWaiting());
        }
    }

    /// <summary>The clicks delivered here and not yet stored, per tenant: what this writer holds of the backlog.</summary>
    public IReadOnlyDictionary<string, WaitingClicks> Held()
    {
        lock (_gate)
        {
            return _deliveries.Held();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _supervisor;
        }
        catch (OperationCanceledException)
        {
        }

        await DropConnectionAsync();
        _stopping.Dispose();
        _arrived.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_channel is not { IsOpen: true })
                {
                    await ConnectAsync(stoppingToken);
                    if (failures > 0)
                    {
                        LogReconnected(_logger, failures);
                    }
                }

                foreach (var tenant in await _tenants(stoppingToken))
                {
                    bool subscribed;
                    long generation;
                    lock (_gate)
                    {
                        (subscribed, generation) = (_subscribed.Contains(tenant), _deliveries.Generation);
                    }

                    if (!subscribed)
                    {
                        await SubscribeAsync(_channel!, tenant, generation, stoppingToken);
                    }
                }

                failures = 0;
                await Task.Delay(_refresh, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogConnectFailed(_logger, ex, failures);
                await DropConnectionAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * Math.Pow(2, Math.Min(failures, 10)))), stoppingToken);
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await DropConnectionAsync();
        var connection = await _factory.CreateConnectionAsync("linktracker-writer", cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        // Per consumer: each tenant queue has at most this many unacknowledged messages here.
        await channel.BasicQosAsync(0, _prefetch, global: false, cancellationToken);
        await channel.QueueDeclareAsync(_queues.Dead, durable: true, exclusive: false, autoDelete: false, ClickQueues.DeadQueueArguments(), cancellationToken: cancellationToken);
        channel.ChannelShutdownAsync += (_, _) =>
        {
            Forget();
            return Task.CompletedTask;
        };
        (_connection, _channel) = (connection, channel);
    }

    private async Task SubscribeAsync(IChannel channel, string tenant, long generation, CancellationToken cancellationToken)
    {
        var queue = _queues.For(tenant);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, _queues.TenantQueueArguments(), cancellationToken: cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => ReceiveAsync(channel, tenant, generation, delivery);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        lock (_gate)
        {
            if (generation == _deliveries.Generation)
            {
                _subscribed.Add(tenant);
            }
        }
    }

    private async Task ReceiveAsync(IChannel channel, string tenant, long generation, BasicDeliverEventArgs delivery)
    {
        Click[] clicks;
        try
        {
            var (messageTenant, decoded) = ClickCodec.Decode(delivery.Body);
            clicks = messageTenant == tenant
                ? decoded
                : throw new InvalidDataException($"A message in tenant {tenant}'s queue carries tenant {messageTenant}'s clicks.");
        }
        catch (Exception ex) when (ex is InvalidDataException or UnknownClickFormatException)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(_logger, ex, tenant, _queues.Dead);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false);
            return;
        }

        lock (_gate)
        {
            if (!_deliveries.Add(tenant, generation, delivery.DeliveryTag, clicks))
            {
                return; // From a channel already given up: the broker delivers it again.
            }
        }

        Signal();
    }

    private async Task AcknowledgeAsync(string tenant, IReadOnlyList<ClickDeliveries.Part> parts, CancellationToken cancellationToken)
    {
        var channel = _channel;
        if (channel is not { IsOpen: true })
        {
            return; // The channel that delivered them is gone; so are the deliveries (they come again).
        }

        IReadOnlyList<ClickDeliveries.Delivery> complete;
        lock (_gate)
        {
            complete = _deliveries.Stored(tenant, parts);
        }

        foreach (var delivery in complete)
        {
            try
            {
                // On a channel closed meanwhile this throws: the delivery is forgotten with it and comes again.
                await channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAckFailed(_logger, ex, tenant);
                return; // The rest stay, stored: the next take carries them (no clicks) and acks them again.
            }

            lock (_gate)
            {
                _deliveries.Acknowledged(tenant, delivery);
            }
        }
    }

    /// <summary>Everything delivered on the current channel will come again: forget it and start a new generation.</summary>
    private void Forget()
    {
        lock (_gate)
        {
            _deliveries.Forget();
            _subscribed.Clear();
        }
    }

    private async Task DropConnectionAsync()
    {
        Forget();
        var (channel, connection) = (_channel, _connection);
        (_channel, _connection) = (null, null);
        await RabbitMqClose.QuietlyAsync(channel, connection);
    }

    private void Signal()
    {
        if (_arrived.CurrentCount == 0)
        {
            try
            {
                _arrived.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another delivery signalled first; one wake-up is enough.
            }
        }
    }

    private sealed class DeliveredBatch(RabbitMqClickInbox inbox, string tenant, ClickDeliveries.Taken taken) : ClickBatch(tenant, taken.Clicks)
    {
        public override Task AcknowledgeAsync(CancellationToken cancellationToken) => inbox.AcknowledgeAsync(Tenant, taken.Parts, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The click queues are unreachable (attempt {Failures}); clicks wait in the broker and on the edges")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming the click queues again after {Failures} failed attempts")]
    private static partial void LogReconnected(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "An unreadable click message in tenant {Tenant}'s queue went to {DeadQueue}")]
    private static partial void LogRejected(ILogger logger, Exception exception, string tenant, string deadQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging tenant {Tenant}'s clicks failed; the broker delivers them again (stored once)")]
    private static partial void LogAckFailed(ILogger logger, Exception exception, string tenant);
}
