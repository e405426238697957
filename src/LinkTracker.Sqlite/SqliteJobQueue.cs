using LinkTracker.Core.Jobs;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// The embedded job queue. jobs.db is only the durable record (<see cref="SqliteJobFile"/>): each change is written to
/// it before it takes effect, and it is read once, at start. The schedule lives in memory (<see cref="JobSchedule"/>):
/// receivers wait on a signal and one timer wakes them when the next job comes due or a lease ends, so nothing polls
/// the file. Tenants with due jobs take turns, each giving its oldest due job. One process owns the queue (jobs.lock);
/// any other may list, count and purge.
/// </summary>
public sealed class SqliteJobQueue : IJobQueue, IAsyncDisposable
{
    private const long RetryAfterFileErrorMs = 1_000;

    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly SqliteJobFile _file;
    private readonly AsyncOnce _started;

    // Changes run one at a time, file first, then memory, so the two agree; a receiver waiting for a job holds nothing.
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private readonly JobSchedule _schedule = new();
    private readonly JobWakeUp _wakeUp;
    private FileStream? _owner;
    private bool _disposed;

    public SqliteJobQueue(SqliteDatabases databases, JobQueueOptions options, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _time = time;
        _file = new SqliteJobFile(databases);
        _started = new AsyncOnce(StartAsync);
        _wakeUp = new JobWakeUp(time);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => _started.RunAsync(cancellationToken);

    public async Task<JobEnqueued> EnqueueAsync(JobRequest job, TimeSpan? delay, CancellationToken cancellationToken) =>
        (await EnqueueManyAsync([job], delay, cancellationToken))[0];

    public Task<IReadOnlyList<JobEnqueued>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, TimeSpan? delay, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(job.Type, nameof(jobs));
            ArgumentNullException.ThrowIfNull(job.Payload, nameof(jobs));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(delay ?? TimeSpan.Zero, TimeSpan.Zero, nameof(delay));
        return ExclusiveAsync<IReadOnlyList<JobEnqueued>>(async now =>
        {
            var (results, added, refreshed) = await _file.InsertAsync(jobs, now, now + Milliseconds(delay ?? TimeSpan.Zero), () => Guid.CreateVersion7(_time.GetUtcNow()).ToString());
            foreach (var job in added)
            {
                _schedule.Add(job, now);
            }

            foreach (var id in refreshed)
            {
                _schedule.Leased(id)!.Again = true;
            }

            return results;
        }, cancellationToken);
    }

    public async Task<JobLease?> ReceiveAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        try
        {
            await _started.RunAsync(cancellationToken);
            while (true)
            {
                Task changed;
                await _mutex.WaitAsync(cancellationToken);
                try
                {
                    if (_disposed)
                    {
                        return null;
                    }

                    var now = Now();
                    await SweepAsync(now);
                    if (_schedule.TakeNext() is { } job)
                    {
                        return await LeaseAsync(job, now + Milliseconds(lease));
                    }

                    changed = _wakeUp.Changed;
                }
                finally
                {
                    Settle();
                    _mutex.Release();
                }

                await changed.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task<bool> AckAsync(JobLease lease, CancellationToken cancellationToken) =>
        ExclusiveAsync(async now =>
        {
            if (_schedule.Holder(lease.Token, lease.Id, now) is not { } job)
            {
                return false;
            }

            if (job.Again)
            {
                await RequeueAsync(job, now);
            }
            else
            {
                await _file.DeleteAsync(job.Id);
                _schedule.EndLease(job);
            }

            return true;
        }, cancellationToken);

    public Task<JobFailOutcome> FailAsync(JobLease lease, string error, CancellationToken cancellationToken) =>
        ExclusiveAsync(now => _schedule.Holder(lease.Token, lease.Id, now) is { } job ? FailHeldAsync(job, error, now) : Task.FromResult(JobFailOutcome.LeaseLost), cancellationToken);

    public Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan extension, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(extension, TimeSpan.Zero);
        return ExclusiveAsync<JobLease?>(async now =>
        {
            if (_schedule.Holder(lease.Token, lease.Id, now) is not { } job)
            {
                return null;
            }

            var until = now + Milliseconds(extension);
            await _file.ExtendLeaseAsync(job.Id, until);
            _schedule.ExtendLease(job, until);
            return lease with { LeasedUntil = SqliteValues.FromUnixMs(until) };
        }, cancellationToken);
    }

    public Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _file.ListPendingAsync(limit, cancellationToken);
    }

    public async Task<IReadOnlyList<DeadJob>> ListDeadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await _file.ReadDeadAsync("ORDER BY died_at, id LIMIT $limit", ("$limit", limit), cancellationToken);
    }

    public async Task<DeadJob?> GetDeadAsync(string id, CancellationToken cancellationToken) =>
        (await _file.ReadDeadAsync("WHERE id = $id", ("$id", id), cancellationToken)).SingleOrDefault();

    public async Task<bool> RedriveAsync(string id, CancellationToken cancellationToken) =>
        await RedriveWhereAsync(id, cancellationToken) == 1;

    public Task<int> RedriveAllAsync(CancellationToken cancellationToken) => RedriveWhereAsync(null, cancellationToken);

    public Task<int> PurgeDeadAsync(CancellationToken cancellationToken) => _file.PurgeDeadAsync(cancellationToken);

    public Task<JobQueueCounts> CountAsync(CancellationToken cancellationToken) => _file.CountAsync(cancellationToken);

    /// <summary>Stops the timer and wakes waiting receivers (they get null). Writes nothing: leases held now are taken back at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _mutex.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _wakeUp.DisposeAsync();
            if (_owner is not null)
            {
                await _owner.DisposeAsync();
            }
        }
        finally
        {
            _mutex.Release();
        }
    }

    private async Task StartAsync()
    {
        var owner = _file.TakeOwnership();
        try
        {
            await _file.MigrateAsync(CancellationToken.None);
            await _mutex.WaitAsync();
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var now = Now();
                foreach (var job in await _file.RecoverAsync(now, _options.MaxAttempts, RetryDelay))
                {
                    _schedule.Add(job, now);
                }

                _wakeUp.Start(OnTimerAsync);
                _owner = owner;
            }
            finally
            {
                Settle();
                _mutex.Release();
            }
        }
        catch
        {
            await owner.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one change under the mutex. Its file writes ignore cancellation once begun, so memory never lags the file.</summary>
    private async Task<T> ExclusiveAsync<T>(Func<long, Task<T>> change, CancellationToken cancellationToken)
    {
        await _started.RunAsync(cancellationToken);
        await _mutex.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await change(Now());
        }
        finally
        {
            Settle();
            _mutex.Release();
        }
    }

    private async Task OnTimerAsync()
    {
        await _mutex.WaitAsync();
        try
        {
            if (!_disposed)
            {
                await SweepAsync(Now());
            }
        }
        finally
        {
            Settle();
            _mutex.Release();
        }
    }

    /// <summary>Ends the leases that ran out (each counts as a failed attempt) and moves jobs that came due to the ready lists.</summary>
    private async Task SweepAsync(long now)
    {
        while (_schedule.TakeEndedLease(now) is { } job)
        {
            try
            {
                await FailHeldAsync(job, $"The lease of attempt {job.Attempts} ended without an acknowledgement.", now);
            }
            catch (SqliteException)
            {
                // The file refused the change and memory is as before: try again shortly.
                _schedule.PostponeEndedLease(job, now + RetryAfterFileErrorMs);
                break;
            }
        }

        _schedule.PromoteDue(now);
    }

    private async Task<JobLease> LeaseAsync(ScheduledJob job, long until)
    {
        string payload;
        try
        {
            payload = await _file.LeaseAsync(job.Id, job.Attempts + 1, until);
        }
        catch
        {
            _schedule.PutBack(job);
            throw;
        }

        _schedule.Lease(job, until);
        return new JobLease(job.Id, job.Type, job.Tenant, payload, job.Attempts,
            SqliteValues.FromUnixMs(job.EnqueuedAt), SqliteValues.FromUnixMs(until), job.Token);
    }

    private async Task<JobFailOutcome> FailHeldAsync(ScheduledJob job, string error, long now)
    {
        if (job.Again)
        {
            // The attempt that failed was asked for before the refresh; the refresh gets its own attempts, at once.
            await RequeueAsync(job, now);
            return JobFailOutcome.Retrying;
        }

        if (job.Attempts >= _options.MaxAttempts)
        {
            await _file.BuryAsync(job.Id, job.Attempts, error, now);
            _schedule.EndLease(job);
            return JobFailOutcome.DeadLettered;
        }

        var due = now + RetryDelay(job.Attempts);
        await _file.RetryAsync(job.Id, due, error);
        _schedule.Retry(job, due, now);
        return JobFailOutcome.Retrying;
    }

    private async Task RequeueAsync(ScheduledJob job, long now)
    {
        await _file.RequeueAsync(job.Id, now);
        _schedule.Requeue(job, now);
    }

    private Task<int> RedriveWhereAsync(string? id, CancellationToken cancellationToken) =>
        ExclusiveAsync(async now =>
        {
            var redriven = await _file.RedriveAsync(id, now);
            foreach (var job in redriven)
            {
                _schedule.Add(job, now);
            }

            return redriven.Count;
        }, cancellationToken);

    /// <summary>After each change: wake receivers if a job is ready, and set the timer to the next due time or lease end.</summary>
    private void Settle()
    {
        if (!_disposed)
        {
            _wakeUp.Settle(_schedule, Now());
        }
    }

    private long RetryDelay(int attempt) => Milliseconds(_options.RetryDelay(attempt, Random.Shared.NextDouble()));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);
}
