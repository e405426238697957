using LinkTracker.Core.Jobs;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// The dead-letter queue, browsed on a channel of its own: messages are taken with basic.get and not acknowledged, then
/// handed back with one nack-requeue. A classic queue keeps their order and counts nothing, and because the next call
/// uses the same channel the broker has them back before it serves that call. Redriven ones are republished, then acked.
/// </summary>
internal sealed class DeadLetters(IConnection connection, JobTopology topology, JobQueueOptions options, ConfirmedPublisher publisher, TimeProvider time)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public Task<IReadOnlyList<DeadJob>> ListAsync(int limit, CancellationToken cancellationToken) =>
        BrowseAsync(_ => true, limit, redrive: false, cancellationToken);

    public async Task<DeadJob?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await BrowseAsync(message => message.Id == id, 1, redrive: false, cancellationToken)).SingleOrDefault();

    /// <returns>How many were redriven: all of them (<paramref name="id"/> null) or the one with that id.</returns>
    public async Task<int> RedriveAsync(string? id, CancellationToken cancellationToken) =>
        (await BrowseAsync(message => id is null || message.Id == id, id is null ? int.MaxValue : 1, redrive: true, cancellationToken)).Count;

    public Task<int> PurgeAsync(CancellationToken cancellationToken) =>
        UseAsync(async channel => (int)await channel.QueuePurgeAsync(topology.Dead, cancellationToken), cancellationToken);

    /// <summary>Counted with basic.get, not a passive declare: the queue answers a declare's stat call ahead of the requeue a browse just sent.</summary>
    public Task<uint> CountAsync(CancellationToken cancellationToken) =>
        UseAsync(async channel =>
        {
            if (await channel.BasicGetAsync(topology.Dead, autoAck: false, cancellationToken) is not { } got)
            {
                return 0u;
            }

            await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            return got.MessageCount + 1;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
    }

    /// <summary>
    /// Takes the messages there were when it began, oldest first, and keeps the first <paramref name="limit"/> that
    /// <paramref name="match"/> accepts. Redriven ones are republished to the work queue, then acked; the rest go back.
    /// </summary>
    private Task<IReadOnlyList<DeadJob>> BrowseAsync(Func<JobMessage, bool> match, int limit, bool redrive, CancellationToken cancellationToken) =>
        UseAsync<IReadOnlyList<DeadJob>>(async channel =>
        {
            var found = new List<DeadJob>();
            uint? present = null;
            ulong? giveBack = null;
            try
            {
                // Only the messages present at the start (the first get tells how many remain): one that failed
                // again after its redrive cannot loop the browse.
                for (var i = 0u; (present is null || i < present) && found.Count < limit; i++)
                {
                    if (await channel.BasicGetAsync(topology.Dead, autoAck: false, cancellationToken) is not { } got)
                    {
                        break;
                    }

                    present ??= got.MessageCount + 1;

                    var message = JobMessage.Read(got.BasicProperties, got.Body);
                    if (!match(message))
                    {
                        giveBack = got.DeliveryTag;
                        continue;
                    }

                    found.Add(ToDeadJob(message));
                    if (redrive)
                    {
                        var fresh = message with { AttemptsBefore = 0, LastError = null, DiedAt = null, DueAt = time.GetUtcNow() };
                        await publisher.PublishAsync([(topology.Work, fresh, null)], cancellationToken);
                        await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken);
                    }
                    else
                    {
                        giveBack = got.DeliveryTag;
                    }
                }
            }
            finally
            {
                if (giveBack is { } tag)
                {
                    await channel.BasicNackAsync(tag, multiple: true, requeue: true, CancellationToken.None);
                }
            }

            return found;
        }, cancellationToken);

    /// <summary>
    /// A job this adapter buried carries its attempts and last error. One the broker dead-lettered at the delivery limit
    /// had consumers that died DeliveryLimit + 1 times in a row, with nobody left to write down an error.
    /// </summary>
    private DeadJob ToDeadJob(JobMessage message)
    {
        if (message.DiedAt is { } diedAt)
        {
            return new DeadJob(message.Id, message.Type, message.Tenant, message.Payload, message.AttemptsBefore, message.LastError ?? "", message.EnqueuedAt, diedAt);
        }

        var attempts = Math.Min(message.AttemptsBefore + topology.DeliveryLimit + 1, options.MaxAttempts);
        var error = $"Attempt {attempts} ended without an acknowledgement: its consumer stopped (process killed or connection lost), and RabbitMQ's delivery limit ({message.BrokerDeathReason ?? "unknown reason"}) made the job a dead letter.";
        return new DeadJob(message.Id, message.Type, message.Tenant, message.Payload, attempts, error, message.EnqueuedAt, message.BrokerDeathTime ?? time.GetUtcNow());
    }

    private async Task<T> UseAsync<T>(Func<IChannel, Task<T>> use, CancellationToken cancellationToken)
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

                _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            }

            return await use(_channel);
        }
        finally
        {
            _gate.Release();
        }
    }
}
