using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// Publishes jobs on one channel with publisher confirms: a call returns once the broker has written every message to
/// its queue (quorum: a majority of replicas), and throws when one was refused or could not be routed (mandatory).
/// </summary>
internal sealed class ConfirmedPublisher(IConnection connection) : IAsyncDisposable
{
    private static readonly CreateChannelOptions Confirms = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>Runs <paramref name="use"/> on the publishing channel (also used to declare queues), one caller at a time.</summary>
    public async Task<T> UseAsync<T>(Func<IChannel, Task<T>> use, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not { IsOpen: true })
            {
                if (_channel is not null)
                {
                    await _channel.DisposeAsync();
                }

                _channel = await connection.CreateChannelAsync(Confirms, cancellationToken);
            }

            return await use(_channel);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes all messages, then waits for all their confirms, so a batch costs about one round trip.</summary>
    public Task PublishAsync(IReadOnlyList<(string Queue, JobMessage Job, TimeSpan? Ttl)> messages, CancellationToken cancellationToken) =>
        UseAsync(async channel =>
        {
            var confirms = new List<Task>(messages.Count);
            foreach (var (queue, job, ttl) in messages)
            {
                confirms.Add(channel.BasicPublishAsync("", queue, mandatory: true, job.Properties(ttl), job.Body(), cancellationToken).AsTask());
            }

            // Await every confirm, even after a failure, so none is left unobserved; the first failure is the answer.
            Exception? failure = null;
            foreach (var confirm in confirms)
            {
                try
                {
                    await confirm;
                }
                catch (Exception e)
                {
                    failure ??= e;
                }
            }

            return failure is null ? true : throw failure;
        }, cancellationToken);

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
    }
}
