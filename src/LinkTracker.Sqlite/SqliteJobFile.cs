using LinkTracker.Core.Jobs;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// jobs.db, the embedded queue's durable record: the SQL of every change and of the listings. Changes ignore
/// cancellation once begun, so the schedule in memory never lags the file. Times are Unix ms.
/// </summary>
internal sealed class SqliteJobFile
{
    private const string StoppedError = "'The process stopped during attempt ' || attempts || '.'";

    private readonly SqliteDatabases _databases;
    private readonly AsyncOnce _schema;

    public SqliteJobFile(SqliteDatabases databases)
    {
        _databases = databases;
        _schema = new AsyncOnce(MigrateSchemaAsync);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => _schema.RunAsync(cancellationToken);

    /// <returns>
    /// For each request its id and whether it was added; the added jobs, due at <paramref name="due"/>; and the ids of
    /// leased jobs a <see cref="JobRequest.Refresh"/> request gave fresh attempts (the queue runs them
    /// once more when the attempt ends; a process that stops meanwhile takes them back at start, with no attempt used).
    /// </returns>
    public async Task<(List<JobEnqueued> Results, List<ScheduledJob> Added, List<string> Refreshed)> InsertAsync(
        IReadOnlyList<JobRequest> jobs, long now, long due, Func<string> newId)
    {
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
        await using var refresh = connection.Command("UPDATE jobs SET attempts = 0 WHERE id = $id AND leased_until IS NOT NULL RETURNING 1", transaction);
        var refreshId = refresh.Parameters.Add("$id", SqliteType.Text);
        var results = new List<JobEnqueued>(jobs.Count);
        var added = new List<ScheduledJob>();
        var refreshed = new List<string>();
        foreach (var request in jobs)
        {
            id.Value = request.Id ?? newId();
            type.Value = request.Type;
            tenant.Value = SqliteValues.ToDb(request.Tenant);
            payload.Value = request.Payload;
            var seq = await insert.ExecuteScalarAsync(CancellationToken.None);
            var leased = false;
            if (seq is long s)
            {
                added.Add(new ScheduledJob(s, (string)id.Value, request.Type, request.Tenant, now) { Due = due });
            }
            else if (request.Refresh)
            {
                refreshId.Value = id.Value;
                leased = await refresh.ExecuteScalarAsync(CancellationToken.None) is 1L;
                if (leased)
                {
                    refreshed.Add((string)id.Value);
                }
            }

            results.Add(new JobEnqueued((string)id.Value, seq is long || leased));
        }

        await transaction.CommitAsync(CancellationToken.None);
        return (results, added, refreshed);
    }

    /// <returns>The job's payload.</returns>
    public async Task<string> LeaseAsync(string id, int attempts, long until)
    {
        await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
        await using var command = connection.Command("UPDATE jobs SET attempts = $attempts, leased_until = $until WHERE id = $id RETURNING payload");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$until", until);
        return (string)(await command.ExecuteScalarAsync(CancellationToken.None))!;
    }

    public Task DeleteAsync(string id) => ExecuteAsync("DELETE FROM jobs WHERE id = $id", ("$id", id));

    public Task ExtendLeaseAsync(string id, long until) =>
        ExecuteAsync("UPDATE jobs SET leased_until = $until WHERE id = $id", ("$id", id), ("$until", until));

    /// <summary>A refreshed job's attempt ended (<see cref="InsertAsync"/>): it waits again, due at once, with fresh attempts.</summary>
    public Task RequeueAsync(string id, long now) =>
        ExecuteAsync("UPDATE jobs SET leased_until = NULL, due_at = $now, attempts = 0, last_error = NULL WHERE id = $id", ("$id", id), ("$now", now));

    public Task RetryAsync(string id, long due, string error) =>
        ExecuteAsync("UPDATE jobs SET leased_until = NULL, due_at = $due, last_error = $error WHERE id = $id", ("$id", id), ("$due", due), ("$error", error));

    /// <summary>Moves the job to the dead letters with its last error.</summary>
    public Task BuryAsync(string id, int attempts, string error, long now) =>
        ExecuteAsync("""
            INSERT OR REPLACE INTO dead_jobs (id, type, tenant, payload, enqueued_at, attempts, last_error, died_at)
            SELECT id, type, tenant, payload, enqueued_at, $attempts, $error, $now FROM jobs WHERE id = $id;
            DELETE FROM jobs WHERE id = $id;
            """, ("$id", id), ("$attempts", attempts), ("$error", error), ("$now", now));

    /// <summary>Moves one dead letter (or all, when <paramref name="id"/> is null) back to the jobs, due now, with fresh attempts.</summary>
    /// <returns>The jobs put back, in the order they died.</returns>
    public async Task<List<ScheduledJob>> RedriveAsync(string? id, long now)
    {
        await using var connection = await _databases.OpenJobsAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
        var redriven = new List<ScheduledJob>();
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
                redriven.Add(new ScheduledJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetStringOrNull(3), reader.GetInt64(4)) { Due = now });
            }
        }

        await using (var delete = connection.Command("DELETE FROM dead_jobs WHERE $id IS NULL OR id = $id", transaction))
        {
            delete.Parameters.AddWithValue("$id", SqliteValues.ToDb(id));
            await delete.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        redriven.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return redriven;
    }

    /// <summary>
    /// Reads the file at start. A job still leased there was running when the process stopped: that attempt failed, so
    /// the job waits <paramref name="retryDelay"/> of its attempts, or becomes a dead letter after its last attempt.
    /// </summary>
    /// <returns>Every waiting job, for the schedule.</returns>
    public async Task<List<ScheduledJob>> RecoverAsync(long now, int maxAttempts, Func<int, long> retryDelay)
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
            bury.Parameters.AddWithValue("$max", maxAttempts);
            await bury.ExecuteNonQueryAsync(CancellationToken.None);
        }

        var jobs = new List<ScheduledJob>();
        var interrupted = new List<ScheduledJob>();
        await using (var select = connection.Command("SELECT seq, id, type, tenant, enqueued_at, due_at, attempts, leased_until FROM jobs", transaction))
        await using (var reader = await select.ExecuteReaderAsync(CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var job = new ScheduledJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetStringOrNull(3), reader.GetInt64(4))
                {
                    Due = reader.GetInt64(5),
                    Attempts = reader.GetInt32(6),
                };
                jobs.Add(job);
                if (!reader.IsDBNull(7))
                {
                    job.Due = now + retryDelay(job.Attempts);
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

    /// <summary>Takes jobs.lock: only its holder may change the schedule. Dispose the stream to let go.</summary>
    public FileStream TakeOwnership()
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

    public async Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
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

    /// <summary>Dead letters filtered and ordered by <paramref name="clause"/>, which uses one parameter.</summary>
    public async Task<List<DeadJob>> ReadDeadAsync(string clause, (string Name, object Value) parameter, CancellationToken cancellationToken)
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
}
