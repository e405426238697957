using System.Collections.Concurrent;
using LinkTracker.Core.Jobs;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// The distributed job queue on RabbitMQ 3.10+ (ADR 6). Jobs wait in a quorum work queue with a delivery limit; a
/// failed attempt is republished to a TTL queue for its attempt number, which dead-letters it back when its backoff
/// ends; a last attempt is republished to a classic dead-letter queue. Every publish waits for the broker's confirm.
/// What the broker lacks is done in this process: leases are timers, tenants take turns among prefetched deliveries.
/// Not provided (ADR 6): refusing a job id already in the queue, and listing jobs that wait in the broker.
/// </summary>
public sealed class RabbitMqJobQueue : IJobQueue, IAsyncDisposable
{
    /// <summary>Deliveries a consumer holds before they are leased: tenants take turns among these.</summary>
    public const ushort DefaultPrefetch = 16;

    private readonly Func<CancellationToken, Task<IConnection>> _connect;
    private readonly bool _ownsConnection;
    private readonly JobTopology _topology;
    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ushort _prefetch;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, HeldJob> _held = new();
    private JobQueueParts? _parts;
    private long _lastToken;

    /// <summary>A queue with a connection of its own, opened at first use with automatic recovery, closed on dispose.</summary>
    public RabbitMqJobQueue(Uri broker, string prefix, JobQueueOptions options, TimeProvider time, ILogger<RabbitMqJobQueue> logger, ushort prefetch = DefaultPrefetch)
        : this(ct => new ConnectionFactory { Uri = broker, ClientProvidedName = $"linktracker {prefix}" }.CreateConnectionAsync(ct), true, prefix, options, time, logger, prefetch)
    {
    }

    /// <summary>A queue on the caller's connection, which it does not close.</summary>
    public RabbitMqJobQueue(IConnection connection, string prefix, JobQueueOptions options, TimeProvider time, ILogger<RabbitMqJobQueue> logger, ushort prefetch = DefaultPrefetch)
        : this(_ => Task.FromResult(connection), false, prefix, options, time, logger, prefetch)
    {
    }

    private RabbitMqJobQueue(Func<CancellationToken, Task<IConnection>> connect, bool ownsConnection, string prefix, JobQueueOptions options, TimeProvider time, ILogger logger, ushort prefetch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfZero(prefetch);
        options.Validate();
        _connect = connect;
        _ownsConnection = ownsConnection;
        _topology = new JobTopology(prefix, options.MaxAttempts);
        _options = options;
        _time = time;
        _logger = logger;
        _prefetch = prefetch;
    }

    /// <summary>Declares the queues (idempotent). Jobs a stopped process held need nothing: the broker took them back when its connection closed.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var parts = await PartsAsync(cancellationToken);
        await parts.Publisher.UseAsync(async channel =>
        {
            await _topology.DeclareAsync(channel, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<JobEnqueued> EnqueueAsync(JobRequest job, TimeSpan? delay, CancellationToken cancellationToken) =>
        (await EnqueueManyAsync([job], delay, cancellationToken))[0];

    /// <summary>Every job is added: the broker cannot tell whether an id is already in the queue (ADR 6), so Added is always true.</summary>
    public async Task<IReadOnlyList<JobEnqueued>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, TimeSpan? delay, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(job.Type, nameof(jobs));
            ArgumentNullException.ThrowIfNull(job.Payload, nameof(jobs));
        }

        var wait = delay ?? TimeSpan.Zero;
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(delay));
        var parts = await PartsAsync(cancellationToken);
        var queue = _topology.Work;
        if (wait > TimeSpan.Zero)
        {
            queue = await parts.Publisher.UseAsync(channel => _topology.DelayQueueAsync(channel, (long)Math.Ceiling(wait.TotalMilliseconds), cancellationToken), cancellationToken);
        }

        var now = _time.GetUtcNow();
        var messages = jobs
            .Select(job => new JobMessage(job.Id ?? Guid.CreateVersion7(now).ToString(), job.Type, job.Tenant, job.Payload, 0, now, now + wait, null, null))
            .Select(message => (queue, message, wait > TimeSpan.Zero ? wait : (TimeSpan?)null))
            .ToList();
        await parts.Publisher.PublishAsync(messages, cancellationToken);
        return [.. messages.Select(m => new JobEnqueued(m.message.Id, true))];
    }

    public async Task<JobLease?> ReceiveAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            var parts = await PartsAsync(stop.Token);
            await parts.Consumer.StartAsync(stop.Token);
            while (true)
            {
                var next = await parts.Consumer.Turns.TakeAsync(stop.Token);
                if (next.Generation != parts.Consumer.Generation)
                {
                    continue; // its channel closed, so the broker has it back and delivers it again
                }

                // Quorum queues count every return since the last publish: a lease that ended with a lost consumer is an attempt.
                var attempt = next.Job.AttemptsBefore + 1 + next.Job.DeliveryCount;
                if (attempt > _options.MaxAttempts)
                {
                    await BuryAsync(parts, next.Tag, next.Generation, next.Job, _options.MaxAttempts,
                        $"Attempt {attempt - 1} ended without an acknowledgement: its consumer stopped (process killed or connection lost).", stop.Token);
                    continue;
                }

                var held = new HeldJob(Interlocked.Increment(ref _lastToken), next.Tag, next.Generation, next.Job, attempt, _time.GetUtcNow() + lease);
                _held[held.Token] = held;
                held.StartTimer(_time, OnLeaseEnd);
                return ToLease(held);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<bool> AckAsync(JobLease lease, CancellationToken cancellationToken)
    {
        if (TakeHeld(lease) is not { } held)
        {
            return false;
        }

        var parts = await PartsAsync(cancellationToken);
        return await parts.Consumer.AckAsync(held.Tag, held.Generation);
    }

    public async Task<JobFailOutcome> FailAsync(JobLease lease, string error, CancellationToken cancellationToken) =>
        TakeHeld(lease) is { } held
            ? await FailHeldAsync(await PartsAsync(cancellationToken), held, error, cancellationToken)
            : JobFailOutcome.LeaseLost;

    public Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan extension, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(extension, TimeSpan.Zero);
        var extended = _held.TryGetValue(lease.Token, out var held) && held.Job.Id == lease.Id && held.TryExtend(_time, _time.GetUtcNow() + extension);
        return Task.FromResult(extended ? ToLease(held!) : null);
    }

    /// <summary>
    /// Only the jobs this process holds (leased, or prefetched and not yet leased): reading a quorum queue to list it
    /// would count a delivery against each job. <see cref="CountAsync"/> counts the rest.
    /// </summary>
    public Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var generation = _parts?.Consumer.Generation;
        var leased = _held.Values.Select(h => new PendingJob(h.Job.Id, h.Job.Type, h.Job.Tenant, h.Attempt, h.Job.EnqueuedAt, h.Job.DueAt, h.LeasedUntil, h.Job.LastError));
        var prefetched = (_parts?.Consumer.Turns.Snapshot() ?? []).Where(p => p.Generation == generation)
            .Select(p => new PendingJob(p.Job.Id, p.Job.Type, p.Job.Tenant, p.Job.AttemptsBefore + p.Job.DeliveryCount, p.Job.EnqueuedAt, p.Job.DueAt, null, p.Job.LastError));
        return Task.FromResult<IReadOnlyList<PendingJob>>([.. leased.Concat(prefetched).OrderBy(p => p.DueAt).Take(limit)]);
    }

    public async Task<IReadOnlyList<DeadJob>> ListDeadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await (await PartsAsync(cancellationToken)).Dead.ListAsync(limit, cancellationToken);
    }

    public async Task<DeadJob?> GetDeadAsync(string id, CancellationToken cancellationToken) =>
        await (await PartsAsync(cancellationToken)).Dead.GetAsync(id, cancellationToken);

    public async Task<bool> RedriveAsync(string id, CancellationToken cancellationToken) =>
        await (await PartsAsync(cancellationToken)).Dead.RedriveAsync(id, cancellationToken) == 1;

    public async Task<int> RedriveAllAsync(CancellationToken cancellationToken) =>
        await (await PartsAsync(cancellationToken)).Dead.RedriveAsync(null, cancellationToken);

    public async Task<int> PurgeDeadAsync(CancellationToken cancellationToken) =>
        await (await PartsAsync(cancellationToken)).Dead.PurgeAsync(cancellationToken);

    /// <summary>
    /// Waiting: ready in the work, retry and delay queues, plus what this process prefetched. Leased: this process's
    /// leases only; AMQP does not tell how many deliveries other consumers hold.
    /// </summary>
    public async Task<JobQueueCounts> CountAsync(CancellationToken cancellationToken)
    {
        var parts = await PartsAsync(cancellationToken);
        long waiting = 0;
        foreach (var queue in _topology.AllQueues().Where(q => q != _topology.Dead))
        {
            waiting += await JobTopology.ReadyCountAsync(parts.Connection, queue, cancellationToken) ?? 0;
        }

        var generation = parts.Consumer.Generation;
        waiting += parts.Consumer.Turns.Snapshot().Count(p => p.Generation == generation);
        return new JobQueueCounts(waiting, _held.Count, await parts.Dead.CountAsync(cancellationToken));
    }

    /// <summary>Deletes every queue of this prefix, with the jobs in them: for tests and for retiring a deployment.</summary>
    public async Task DeleteQueuesAsync(CancellationToken cancellationToken)
    {
        var parts = await PartsAsync(cancellationToken);
        await parts.Publisher.UseAsync(async channel =>
        {
            foreach (var queue in _topology.AllQueues())
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Stops receivers (they get null) and closes the channels. Acknowledges nothing: the broker takes back the jobs
    /// still leased, which counts as an attempt, as when a process dies. Finish or fail jobs before disposing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var held in _held.Values)
        {
            held.TryEnd(_time, byTimer: true);
        }

        _held.Clear();
        if (_parts is { } parts)
        {
            await parts.DisposeAsync(_ownsConnection);
        }
    }

    private async Task<JobQueueParts> PartsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_parts is { } ready)
        {
            return ready;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_parts is null)
            {
                var connection = await _connect(cancellationToken);
                var publisher = new ConfirmedPublisher(connection);
                var consumer = new JobConsumer(connection, _topology.Work, _prefetch);
                consumer.GenerationEnded += OnGenerationEnded;
                _parts = new JobQueueParts(connection, publisher, consumer, new DeadLetters(connection, _topology, _options, publisher, _time));
            }

            return _parts;
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>The held lease, ended by the worker now; null when it had already ended (acked, failed, timed out, lost).</summary>
    private HeldJob? TakeHeld(JobLease lease)
    {
        if (!_held.TryGetValue(lease.Token, out var held) || held.Job.Id != lease.Id || !held.TryEnd(_time, byTimer: false))
        {
            return null;
        }

        _held.TryRemove(held.Token, out _);
        return held;
    }

    private async Task<JobFailOutcome> FailHeldAsync(JobQueueParts parts, HeldJob held, string error, CancellationToken cancellationToken)
    {
        if (held.Attempt >= _options.MaxAttempts)
        {
            await BuryAsync(parts, held.Tag, held.Generation, held.Job, held.Attempt, error, cancellationToken);
            return JobFailOutcome.DeadLettered;
        }

        var delay = _options.RetryDelay(held.Attempt, Random.Shared.NextDouble());
        var retry = held.Job with { AttemptsBefore = held.Attempt, LastError = error, DueAt = _time.GetUtcNow() + delay };
        await RepublishThenAckAsync(parts, held.Tag, held.Generation, retry, _topology.Retry(held.Attempt), delay, cancellationToken);
        return JobFailOutcome.Retrying;
    }

    private async Task BuryAsync(JobQueueParts parts, ulong tag, long generation, JobMessage job, int attempts, string error, CancellationToken cancellationToken)
    {
        var dead = job with { AttemptsBefore = attempts, LastError = error, DiedAt = _time.GetUtcNow() };
        await RepublishThenAckAsync(parts, tag, generation, dead, _topology.Dead, null, cancellationToken);
        RabbitMqJobQueueLog.DeadLettered(_logger, job.Id, job.Type, attempts, error);
    }

    /// <summary>
    /// The copy is confirmed before the delivery is acked, so a crash in between runs the job twice rather than never.
    /// When the publish fails the delivery goes straight back (the broker counts it) and the caller sees the error.
    /// </summary>
    private async Task RepublishThenAckAsync(JobQueueParts parts, ulong tag, long generation, JobMessage copy, string queue, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        try
        {
            await parts.Publisher.PublishAsync([(queue, copy, ttl)], cancellationToken);
        }
        catch
        {
            await parts.Consumer.RequeueAsync(tag, generation);
            throw;
        }

        if (!await parts.Consumer.AckAsync(tag, generation))
        {
            RabbitMqJobQueueLog.RetryMayDuplicate(_logger, copy.Id, copy.AttemptsBefore);
        }
    }

    /// <summary>A lease that ends unacknowledged is a failed attempt, as in the embedded queue: backoff, or a dead letter after the last.</summary>
    private void OnLeaseEnd(HeldJob held)
    {
        if (!held.TryEnd(_time, byTimer: true) || _parts is not { } parts)
        {
            return;
        }

        _held.TryRemove(held.Token, out _);
        RabbitMqJobQueueLog.LeaseEnded(_logger, held.Job.Id, held.Job.Type, held.Attempt);
        _ = Task.Run(async () =>
        {
            try
            {
                await FailHeldAsync(parts, held, $"The lease of attempt {held.Attempt} ended without an acknowledgement.", _stopping.Token);
            }
            catch (Exception e)
            {
                RabbitMqJobQueueLog.LeaseEndFailed(_logger, held.Job.Id, e);
            }
        });
    }

    private void OnGenerationEnded(long generation)
    {
        var lost = 0;
        foreach (var held in _held.Values.Where(h => h.Generation == generation))
        {
            if (held.TryEnd(_time, byTimer: true) && _held.TryRemove(held.Token, out _))
            {
                lost++;
            }
        }

        if (lost > 0)
        {
            RabbitMqJobQueueLog.LeasesLost(_logger, lost);
        }
    }

    private static JobLease ToLease(HeldJob held) =>
        new(held.Job.Id, held.Job.Type, held.Job.Tenant, held.Job.Payload, held.Attempt, held.Job.EnqueuedAt, held.LeasedUntil, held.Token);
}
