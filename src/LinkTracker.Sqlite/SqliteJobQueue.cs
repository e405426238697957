using LinkTracker.Core.Jobs;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// The embedded job queue. jobs.db is only the durable record: each change is written to it before it takes effect,
/// and it is read once, at start. The schedule lives in memory: receivers wait on a signal and one timer wakes them
/// when the next job comes due or a lease ends, so nothing polls the file. Tenants with due jobs take turns, each
/// giving its oldest due job. One process owns the queue (jobs.lock); any other may list, count and purge.
/// </summary>
public sealed class SqliteJobQueue : IJobQueue, IAsyncDisposable
{
    private const long RetryAfterFileErrorMs = 1_000;
    private const string StoppedError = "'The process stopped during attempt ' || attempts || '.'";

    private readonly SqliteDatabases _databases;
    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly Once _schema;
    private readonly Once _started;

    // Changes run one at a time, file first, then memory, so the two agree; a receiver waiting for a job holds nothing.
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private readonly PriorityQueue<Job, (long Due, long Seq)> _delayed = new();
    private readonly Dictionary<string, PriorityQueue<Job, (long Due, long Seq)>> _ready = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Dictionary<long, Job> _leased = [];
    private readonly PriorityQueue<long, long> _leaseEnds = new();
    private TaskCompletionSource _changed = NewSignal();
    private ITimer? _timer;
    private FileStream? _owner;
    private long _lastToken;
    private bool _disposed;

    public SqliteJobQueue(SqliteDatabases databases, JobQueueOptions options, TimeProvider time)
    {
        options.Validate();
        _databases = databases;
        _options = options;
        _time = time;
        _schema = new Once(MigrateSchemaAsync);
        _started = new Once(StartAsync);
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
            var due = now + Milliseconds(delay ?? TimeSpan.Zero);
            await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            await using var insert = connection.Command("""
                INSERT INTO jobs (id, type, tenant, payload, enqueued_at, due_at, attempts)
                SELECT $id, $type, $tenant, $payload, $now, $due, 0 WHERE NOT EXISTS (SELECT 1 FROM dead_jobs WHERE id = $id)
                ON CONFLICT (id) DO NOTHING
                RETURNING seq
                """, transaction);
            var p = insert.Parameters;
            p.AddWithValue("$now", now);
            p.AddWithValue("$due", due);
            var (id, type, tenant, payload) = (p.Add("$id", SqliteType.Text), p.Add("$type", SqliteType.Text), p.Add("$tenant", SqliteType.Text), p.Add("$payload", SqliteType.Text));
            var results = new List<JobEnqueued>(jobs.Count);
            var added = new List<Job>();
            foreach (var request in jobs)
            {
                id.Value = request.Id ?? Guid.CreateVersion7(_time.GetUtcNow()).ToString();
                type.Value = request.Type;
                tenant.Value = SqliteValues.ToDb(request.Tenant);
                payload.Value = request.Payload;
                var seq = await insert.ExecuteScalarAsync(CancellationToken.None);
                if (seq is long s)
                {
                    added.Add(new Job(s, (string)id.Value, request.Type, request.Tenant, now) { Due = due });
                }

                results.Add(new JobEnqueued((string)id.Value, seq is long));
            }

            await transaction.CommitAsync(CancellationToken.None);
            foreach (var job in added)
            {
                Schedule(job, now);
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
                    if (TakeNext() is { } job)
                    {
                        return await LeaseAsync(job, now + Milliseconds(lease));
                    }

                    changed = _changed.Task;
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
            if (Holder(lease, now) is not { } job)
            {
                return false;
            }

            await ExecuteAsync("DELETE FROM jobs WHERE id = $id", ("$id", job.Id));
            EndLease(job);
            return true;
        }, cancellationToken);

    public Task<JobFailOutcome> FailAsync(JobLease lease, string error, CancellationToken cancellationToken) =>
        ExclusiveAsync(now => Holder(lease, now) is { } job ? FailHeldAsync(job, error, now) : Task.FromResult(JobFailOutcome.LeaseLost), cancellationToken);

    public Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan extension, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(extension, TimeSpan.Zero);
        return ExclusiveAsync<JobLease?>(async now =>
        {
            if (Holder(lease, now) is not { } job)
            {
                return null;
            }

            var until = now + Milliseconds(extension);
            await ExecuteAsync("UPDATE jobs SET leased_until = $until WHERE id = $id", ("$id", job.Id), ("$until", until));
            _leaseEnds.Remove(job.Token, out _, out _);
            job.LeasedUntil = until;
            _leaseEnds.Enqueue(job.Token, until);
            return lease with { LeasedUntil = SqliteValues.FromUnixMs(until) };
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenMigratedAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT id, type, tenant, attempts, enqueued_at, due_at, leased_until, last_error
            FROM jobs ORDER BY due_at, seq LIMIT $limit
            """);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<PendingJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new PendingJob(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetStringOrNull(2),
                reader.GetInt32(3),
                SqliteValues.FromUnixMs(reader.GetInt64(4)),
                SqliteValues.FromUnixMs(reader.GetInt64(5)),
                reader.GetTimeOrNull(6),
                reader.GetStringOrNull(7)));
        }

        return jobs;
    }

    public async Task<IReadOnlyList<DeadJob>> ListDeadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await ReadDeadAsync("ORDER BY died_at, id LIMIT $limit", ("$limit", limit), cancellationToken);
    }

    public async Task<DeadJob?> GetDeadAsync(string id, CancellationToken cancellationToken) =>
        (await ReadDeadAsync("WHERE id = $id", ("$id", id), cancellationToken)).SingleOrDefault();

    public async Task<bool> RedriveAsync(string id, CancellationToken cancellationToken) =>
        await RedriveWhereAsync(id, cancellationToken) == 1;

    public Task<int> RedriveAllAsync(CancellationToken cancellationToken) => RedriveWhereAsync(null, cancellationToken);

    public async Task<int> PurgeDeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenMigratedAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM dead_jobs");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobQueueCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenMigratedAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT (SELECT count(*) FROM jobs WHERE leased_until IS NULL),
                   (SELECT count(*) FROM jobs WHERE leased_until IS NOT NULL),
                   (SELECT count(*) FROM dead_jobs)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new JobQueueCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

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
            if (_timer is not null)
            {
                await _timer.DisposeAsync();
            }

            if (_owner is not null)
            {
                await _owner.DisposeAsync();
            }

            _changed.TrySetResult();
        }
        finally
        {
            _mutex.Release();
        }
    }

    private async Task StartAsync()
    {
        var owner = TakeOwnership();
        try
        {
            await _schema.RunAsync(CancellationToken.None);
            await _mutex.WaitAsync();
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var now = Now();
                foreach (var job in await RecoverAsync(now))
                {
                    Schedule(job, now);
                }

                _timer = _time.CreateTimer(_ => _ = OnTimerAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    private FileStream TakeOwnership()
    {
        var path = Path.ChangeExtension(_databases.JobsPath, ".lock");
        Directory.CreateDirectory(_databases.DataDirectory);
        try
        {
            // An OS lock: it goes with the process, so a kill -9 never leaves the queue locked.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another process runs the job queue in {_databases.DataDirectory} ({path} is locked). Only one process may run an embedded queue's jobs: stop the other one, or go through its API.",
                ex);
        }
    }

    private async Task MigrateSchemaAsync()
    {
        await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
        await SqliteMigrator.MigrateAsync(connection, "Jobs", $"The job queue ({_databases.JobsPath})", CancellationToken.None);
    }

    private async Task<SqliteConnection> OpenMigratedAsync(CancellationToken cancellationToken)
    {
        await _schema.RunAsync(cancellationToken);
        return await _databases.OpenJobsAsync(cancellationToken);
    }

    /// <summary>Reads the file at start. A job still leased there was running when the process stopped: that attempt failed.</summary>
    private async Task<List<Job>> RecoverAsync(long now)
    {
        await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
        await using (var bury = connection.Command($"""
            INSERT OR REPLACE INTO dead_jobs (id, type, tenant, payload, enqueued_at, attempts, last_error, died_at)
            SELECT id, type, tenant, payload, enqueued_at, attempts, {StoppedError}, $now FROM jobs
            WHERE leased_until IS NOT NULL AND attempts >= $max;
            DELETE FROM jobs WHERE leased_until IS NOT NULL AND attempts >= $max;
            """, transaction))
        {
            bury.Parameters.AddWithValue("$now", now);
            bury.Parameters.AddWithValue("$max", _options.MaxAttempts);
            await bury.ExecuteNonQueryAsync(CancellationToken.None);
        }

        var jobs = new List<Job>();
        var interrupted = new List<Job>();
        await using (var select = connection.Command("SELECT seq, id, type, tenant, enqueued_at, due_at, attempts, leased_until FROM jobs", transaction))
        await using (var reader = await select.ExecuteReaderAsync(CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var job = new Job(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetStringOrNull(3), reader.GetInt64(4))
                {
                    Due = reader.GetInt64(5),
                    Attempts = reader.GetInt32(6),
                };
                jobs.Add(job);
                if (!reader.IsDBNull(7))
                {
                    job.Due = now + RetryDelay(job.Attempts);
                    interrupted.Add(job);
                }
            }
        }

        await using (var retry = connection.Command(
            $"UPDATE jobs SET leased_until = NULL, due_at = $due, last_error = {StoppedError} WHERE id = $id", transaction))
        {
            foreach (var job in interrupted)
            {
                retry.Parameters.Clear();
                retry.Parameters.AddWithValue("$id", job.Id);
                retry.Parameters.AddWithValue("$due", job.Due);
                await retry.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        await transaction.CommitAsync(CancellationToken.None);
        return jobs;
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
        while (_leaseEnds.TryPeek(out var token, out var end) && end <= now)
        {
            _leaseEnds.Dequeue();
            if (!_leased.TryGetValue(token, out var job))
            {
                continue;
            }

            try
            {
                await FailHeldAsync(job, $"The lease of attempt {job.Attempts} ended without an acknowledgement.", now);
            }
            catch (SqliteException)
            {
                // The file refused the change and memory is as before: try again shortly.
                _leaseEnds.Enqueue(token, now + RetryAfterFileErrorMs);
                break;
            }
        }

        while (_delayed.TryPeek(out var job, out var key) && key.Due <= now)
        {
            _delayed.Dequeue();
            AddReady(job);
        }
    }

    private async Task<JobLease> LeaseAsync(Job job, long until)
    {
        object? payload;
        try
        {
            await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
            await using var command = connection.Command("UPDATE jobs SET attempts = $attempts, leased_until = $until WHERE id = $id RETURNING payload");
            command.Parameters.AddWithValue("$id", job.Id);
            command.Parameters.AddWithValue("$attempts", job.Attempts + 1);
            command.Parameters.AddWithValue("$until", until);
            payload = await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch
        {
            AddReady(job);
            throw;
        }

        job.Attempts++;
        job.Token = ++_lastToken;
        job.LeasedUntil = until;
        _leased.Add(job.Token, job);
        _leaseEnds.Enqueue(job.Token, until);
        return new JobLease(job.Id, job.Type, job.Tenant, (string)payload!, job.Attempts,
            SqliteValues.FromUnixMs(job.EnqueuedAt), SqliteValues.FromUnixMs(until), job.Token);
    }

    private async Task<JobFailOutcome> FailHeldAsync(Job job, string error, long now)
    {
        if (job.Attempts >= _options.MaxAttempts)
        {
            await ExecuteAsync("""
                INSERT OR REPLACE INTO dead_jobs (id, type, tenant, payload, enqueued_at, attempts, last_error, died_at)
                SELECT id, type, tenant, payload, enqueued_at, $attempts, $error, $now FROM jobs WHERE id = $id;
                DELETE FROM jobs WHERE id = $id;
                """, ("$id", job.Id), ("$attempts", job.Attempts), ("$error", error), ("$now", now));
            EndLease(job);
            return JobFailOutcome.DeadLettered;
        }

        var due = now + RetryDelay(job.Attempts);
        await ExecuteAsync(
            "UPDATE jobs SET leased_until = NULL, due_at = $due, last_error = $error WHERE id = $id",
            ("$id", job.Id), ("$due", due), ("$error", error));
        EndLease(job);
        job.Token = 0;
        job.Due = due;
        Schedule(job, now);
        return JobFailOutcome.Retrying;
    }

    private Task<int> RedriveWhereAsync(string? id, CancellationToken cancellationToken) =>
        ExclusiveAsync(async now =>
        {
            await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            var redriven = new List<Job>();
            await using (var insert = connection.Command("""
                INSERT INTO jobs (id, type, tenant, payload, enqueued_at, due_at, attempts, last_error)
                SELECT id, type, tenant, payload, enqueued_at, $now, 0, last_error FROM dead_jobs
                WHERE $id IS NULL OR id = $id ORDER BY died_at, id
                RETURNING seq, id, type, tenant, enqueued_at
                """, transaction))
            {
                insert.Parameters.AddWithValue("$now", now);
                insert.Parameters.AddWithValue("$id", SqliteValues.ToDb(id));
                await using var reader = await insert.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    redriven.Add(new Job(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetStringOrNull(3), reader.GetInt64(4)) { Due = now });
                }
            }

            await using (var delete = connection.Command("DELETE FROM dead_jobs WHERE $id IS NULL OR id = $id", transaction))
            {
                delete.Parameters.AddWithValue("$id", SqliteValues.ToDb(id));
                await delete.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            foreach (var job in redriven.OrderBy(j => j.Seq))
            {
                Schedule(job, now);
            }

            return redriven.Count;
        }, cancellationToken);

    private async Task<List<DeadJob>> ReadDeadAsync(string clause, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenMigratedAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, type, tenant, payload, attempts, last_error, enqueued_at, died_at FROM dead_jobs " + clause);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var dead = new List<DeadJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            dead.Add(new DeadJob(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetStringOrNull(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetString(5),
                SqliteValues.FromUnixMs(reader.GetInt64(6)),
                SqliteValues.FromUnixMs(reader.GetInt64(7))));
        }

        return dead;
    }

    private async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
        await using var command = connection.Command(sql, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>The job the lease still holds, or null once the lease has ended (acknowledged, failed, expired or taken back).</summary>
    private Job? Holder(JobLease lease, long now) =>
        _leased.TryGetValue(lease.Token, out var job) && job.Id == lease.Id && job.LeasedUntil > now ? job : null;

    private void EndLease(Job job)
    {
        _leased.Remove(job.Token);
        _leaseEnds.Remove(job.Token, out _, out _);
    }

    private void Schedule(Job job, long now)
    {
        if (job.Due <= now)
        {
            AddReady(job);
        }
        else
        {
            _delayed.Enqueue(job, (job.Due, job.Seq));
        }
    }

    /// <summary>A tenant with no ready job joins the back of the turns; within a tenant the oldest due job goes first.</summary>
    private void AddReady(Job job)
    {
        var tenant = job.Tenant ?? "";
        if (!_ready.TryGetValue(tenant, out var jobs))
        {
            _ready[tenant] = jobs = new PriorityQueue<Job, (long Due, long Seq)>();
            _turns.Enqueue(tenant);
        }

        jobs.Enqueue(job, (job.Due, job.Seq));
    }

    private Job? TakeNext()
    {
        if (!_turns.TryDequeue(out var tenant))
        {
            return null;
        }

        var jobs = _ready[tenant];
        var job = jobs.Dequeue();
        if (jobs.Count > 0)
        {
            _turns.Enqueue(tenant);
        }
        else
        {
            _ready.Remove(tenant);
        }

        return job;
    }

    /// <summary>After each change: wake receivers if a job is ready, and set the timer to the next due time or lease end.</summary>
    private void Settle()
    {
        if (_disposed || _timer is null)
        {
            return;
        }

        if (_turns.Count > 0)
        {
            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult();
        }

        var next = long.MaxValue;
        if (_delayed.TryPeek(out _, out var first))
        {
            next = first.Due;
        }

        if (_leaseEnds.TryPeek(out _, out var end))
        {
            next = Math.Min(next, end);
        }

        _timer.Change(next == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, next - Now())), Timeout.InfiniteTimeSpan);
    }

    private long RetryDelay(int attempt) => Milliseconds(_options.RetryDelay(attempt, Random.Shared.NextDouble()));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One waiting or leased job as the schedule sees it; the payload stays in the file.</summary>
    private sealed class Job(long seq, string id, string type, string? tenant, long enqueuedAt)
    {
        public long Seq { get; } = seq;

        public string Id { get; } = id;

        public string Type { get; } = type;

        public string? Tenant { get; } = tenant;

        public long EnqueuedAt { get; } = enqueuedAt;

        public long Due { get; set; }

        public int Attempts { get; set; }

        public long Token { get; set; }

        public long LeasedUntil { get; set; }
    }

    /// <summary>Runs a start-up step once; when it fails, the next caller tries again.</summary>
    private sealed class Once(Func<Task> run)
    {
        private readonly Lock _gate = new();
        private Task? _task;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Task task;
            lock (_gate)
            {
                task = _task ??= run();
            }

            try
            {
                await task.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (_task == task)
                    {
                        _task = null;
                    }
                }

                throw;
            }
        }
    }
}
