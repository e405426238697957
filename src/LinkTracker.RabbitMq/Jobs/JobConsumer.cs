using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// This process's consumer of the work queue, started by the first receive (a process that only enqueues never holds
/// jobs). Deliveries wait in <see cref="Turns"/> until a receiver leases them. Each consumer channel is a generation:
/// when it closes the broker takes back everything it held, so its delivery tags and leases mean nothing any more.
/// </summary>
internal sealed class JobConsumer(IConnection connection, string queue, ushort prefetch) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;
    private long _generation;

    public PrefetchTurns Turns { get; } = new();

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Raised with the generation that ended when the consumer channel closes (connection lost, broker error, dispose).</summary>
    public event Action<long>? GenerationEnded;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true })
            {
                return;
            }

            if (_channel is not null)
            {
                await _channel.DisposeAsync();
            }

            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            channel.ChannelShutdownAsync += (_, _) =>
            {
                GenerationEnded?.Invoke(Interlocked.Increment(ref _generation) - 1);
                return Task.CompletedTask;
            };
            await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += OnDeliveryAsync;
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            _channel = channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <returns>false when the delivery's channel has closed: the broker took the job back and will deliver it again.</returns>
    public Task<bool> AckAsync(ulong tag, long generation) =>
        SettleAsync(generation, channel => channel.BasicAckAsync(tag, multiple: false));

    /// <summary>Hands a delivery back for immediate redelivery; the quorum queue counts that as a delivery.</summary>
    public Task<bool> RequeueAsync(ulong tag, long generation) =>
        SettleAsync(generation, channel => channel.BasicNackAsync(tag, multiple: false, requeue: true));

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_channel is not null)
            {
                await _channel.DisposeAsync();
                _channel = null;
            }
        }
        finally
        {
            _gate.Release();
        }

        Turns.Dispose();
    }

    private Task OnDeliveryAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The body's buffer is the client's and is reused after this returns: Read copies the payload out.
        var job = JobMessage.Read(delivery.BasicProperties, delivery.Body);
        Turns.Add(new PrefetchedJob(delivery.DeliveryTag, Generation, job));
        return Task.CompletedTask;
    }

    private async Task<bool> SettleAsync(long generation, Func<IChannel, ValueTask> settle)
    {
        // Acks carry no reply; a channel of another generation would settle some other delivery with this tag.
        await _gate.WaitAsync();
        try
        {
            if (_channel is not { IsOpen: true } channel || generation != Generation)
            {
                return false;
            }

            await settle(channel);
            return true;
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }
}
