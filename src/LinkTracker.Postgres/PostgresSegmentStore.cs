using System.Globalization;
using LinkTracker.Core.Segments;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>
/// Segments, runs and recipients in the tenant's schema, through the tenant's own login. The segment query runs in
/// <see cref="PostgresSegmentQueries"/>: estimated with EXPLAIN, run under SET LOCAL statement_timeout and work_mem.
/// </summary>
public sealed class PostgresSegmentStore(PostgresDatabases databases) : ISegmentStore
{
    /// <summary>The tenant schema version that added the segment tables (0003_segments.sql).</summary>
    internal const int SegmentsVersion = 3;

    /// <summary>The tenant schema version that stores runs' recipients in pages (ADR 29).</summary>
    internal static readonly int SegmentPagesVersion = PostgresMigrator.VersionOf("Tenant", "0012_segment_pages.sql");

    private const string RunColumns = "id, segment_id, filter, state, requested_at, started_at, lease_until, finished_at, as_of, recipients, rows_read, duration_ms, error";

    public SegmentDialect Dialect => SegmentDialect.Postgres;

    /// <summary>A campaign condition reads signed_links (0011): a tenant below it answers "not migrated yet" for it.</summary>
    private static int VersionFor(SegmentQuery query) => query.ReadsSignedLinks ? PostgresClickStore.SignedLinksVersion : SegmentsVersion;

    public async Task AddAsync(string tenant, Segment segment, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command("INSERT INTO segments (id, name, filter, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)");
        Bind(command, segment);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Segment?> GetAsync(string tenant, string id, CancellationToken cancellationToken) =>
        (await QuerySegmentsAsync(tenant, "WHERE id = $1", id, 1, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Segment>> ListAsync(string tenant, string? after, int limit, CancellationToken cancellationToken) =>
        QuerySegmentsAsync(tenant, "WHERE id COLLATE \"C\" > $1", after ?? "", limit, cancellationToken);

    public async Task<bool> UpdateAsync(string tenant, Segment segment, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command("UPDATE segments SET name = $2, filter = $3, updated_at = $4 WHERE id = $1");
        command.Parameters.Add(PostgresValues.Text(segment.Id));
        command.Parameters.Add(PostgresValues.Text(segment.Name));
        command.Parameters.Add(PostgresValues.Text(segment.Filter));
        command.Parameters.Add(PostgresValues.Time(segment.UpdatedAt));
        var updated = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        var recipients = await RecipientsTableAsync(transaction, tenant, cancellationToken);
        await ExecuteAsync(transaction, $"DELETE FROM {recipients} WHERE run_id IN (SELECT id FROM segment_runs WHERE segment_id = $1)", id, cancellationToken);
        await ExecuteAsync(transaction, "DELETE FROM segment_runs WHERE segment_id = $1", id, cancellationToken);
        var deleted = await ExecuteAsync(transaction, "DELETE FROM segments WHERE id = $1", id, cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<long> EstimateRowsAsync(string tenant, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, VersionFor(query), cancellationToken);
        return await PostgresSegmentQueries.EstimateRowsAsync(transaction, query, limits, cancellationToken);
    }

    public async Task<bool> QueueRunAsync(string tenant, SegmentRun run, int maxQueued, CancellationToken cancellationToken)
    {
        // A run stores pages: a tenant below 0012_segment_pages is told to migrate when it asks for one, not when the run fails.
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentPagesVersion, cancellationToken);
        await LockRunsAsync(transaction, cancellationToken); // the count and the insert as one step among concurrent requests
        await using var command = transaction.Command("""
            INSERT INTO segment_runs (id, segment_id, filter, state, requested_at)
            SELECT $1, $2, $3, 'queued', $4 WHERE (SELECT count(*) FROM segment_runs WHERE state = 'queued') < $5
            """);
        command.Parameters.Add(PostgresValues.Text(run.Id));
        command.Parameters.Add(PostgresValues.Text(run.SegmentId));
        command.Parameters.Add(PostgresValues.Text(run.Filter));
        command.Parameters.Add(PostgresValues.Time(run.RequestedAt));
        command.Parameters.Add(PostgresValues.Of((long)maxQueued));
        var added = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<SegmentRun?> GetRunAsync(string tenant, string segmentId, string runId, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT {RunColumns} FROM segment_runs WHERE id = $1 AND segment_id = $2");
        command.Parameters.Add(PostgresValues.Text(runId));
        command.Parameters.Add(PostgresValues.Text(segmentId));
        return await ReadRunAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentRun>> ListRunsAsync(string tenant, string segmentId, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT {RunColumns} FROM segment_runs WHERE segment_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2");
        command.Parameters.Add(PostgresValues.Text(segmentId));
        command.Parameters.Add(PostgresValues.Of(limit));
        var runs = new List<SegmentRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    public async Task<SegmentRun?> StartNextRunAsync(string tenant, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await LockRunsAsync(transaction, cancellationToken); // workers of several processes: one decides at a time
        await using (var requeue = transaction.Command("UPDATE segment_runs SET state = 'queued', started_at = NULL, lease_until = NULL WHERE state = 'running' AND lease_until <= $1"))
        {
            requeue.Parameters.Add(PostgresValues.Time(now));
            await requeue.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = transaction.Command($"""
            UPDATE segment_runs SET state = 'running', started_at = $1, lease_until = $2
            WHERE id = (SELECT id FROM segment_runs WHERE state = 'queued' ORDER BY requested_at, id LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM segment_runs WHERE state = 'running')
            RETURNING {RunColumns}
            """);
        command.Parameters.Add(PostgresValues.Time(now));
        command.Parameters.Add(PostgresValues.Time(leaseUntil));
        var run = await ReadRunAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<long> StoreRecipientsAsync(string tenant, string runId, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, Math.Max(VersionFor(query), SegmentPagesVersion), cancellationToken);
        var stored = await PostgresSegmentQueries.StoreRecipientsAsync(transaction, runId, query, limits, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task FinishRunAsync(string tenant, SegmentRun run, CancellationToken cancellationToken)
    {
        // Not the pages' version: a run that a tenant below it had queued before the rollout must still end (failed,
        // "migrate"), or it would hold the tenant's one running slot until its lease ends.
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        var recipients = await RecipientsTableAsync(transaction, tenant, cancellationToken);
        await using (var command = transaction.Command("""
            UPDATE segment_runs SET state = $2, finished_at = $3, as_of = $4, recipients = $5, rows_read = $6, duration_ms = $7,
                error = $8, lease_until = NULL
            WHERE id = $1
            """))
        {
            command.Parameters.Add(PostgresValues.Text(run.Id));
            command.Parameters.Add(PostgresValues.Text(run.State));
            command.Parameters.Add(PostgresValues.Time(run.FinishedAt));
            command.Parameters.Add(PostgresValues.Time(run.AsOf));
            command.Parameters.Add(Long(run.Recipients));
            command.Parameters.Add(Long(run.RowsRead));
            command.Parameters.Add(Long(run.DurationMs));
            command.Parameters.Add(PostgresValues.Text(run.Error));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (run.State == SegmentRunState.Completed)
        {
            await using var drop = transaction.Command($"DELETE FROM {recipients} WHERE run_id IN (SELECT id FROM segment_runs WHERE segment_id = $1 AND id <> $2)");
            drop.Parameters.Add(PostgresValues.Text(run.SegmentId));
            drop.Parameters.Add(PostgresValues.Text(run.Id));
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        // The segment was deleted while its run ran: drop what the run stored.
        await ExecuteAsync(transaction, $"DELETE FROM {recipients} WHERE run_id = $1 AND NOT EXISTS (SELECT 1 FROM segment_runs WHERE id = $1)", run.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<SegmentRun?> GetLastCompletedRunAsync(string tenant, string segmentId, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command($"""
            SELECT {RunColumns} FROM segment_runs WHERE segment_id = $1 AND state = 'completed' ORDER BY finished_at DESC, id DESC LIMIT 1
            """);
        command.Parameters.Add(PostgresValues.Text(segmentId));
        return await ReadRunAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListRecipientsAsync(string tenant, string runId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentPagesVersion, cancellationToken);
        // From the page that may hold the cursor (the last whose first recipient is not after it) on.
        await using var command = transaction.Command("""
            SELECT recipients FROM segment_pages
            WHERE run_id = $1 AND first_recipient >= coalesce(
                (SELECT max(first_recipient) FROM segment_pages WHERE run_id = $1 AND first_recipient <= $2), '')
            ORDER BY first_recipient LIMIT $3
            """);
        command.Parameters.Add(PostgresValues.Text(runId));
        command.Parameters.Add(PostgresValues.Text(after ?? ""));
        command.Parameters.Add(PostgresValues.Of(RecipientPages.PagesFor(limit)));
        var pages = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pages.Add(reader.GetString(0));
        }

        return RecipientPages.After(pages, after, limit);
    }

    private async Task<IReadOnlyList<Segment>> QuerySegmentsAsync(string tenant, string where, string id, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, SegmentsVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT id, name, filter, created_at, updated_at FROM segments {where} ORDER BY id COLLATE \"C\" LIMIT $2");
        command.Parameters.Add(PostgresValues.Text(id));
        command.Parameters.Add(PostgresValues.Of(limit));
        var segments = new List<Segment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(new Segment(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return segments;
    }

    /// <summary>
    /// Where the tenant's runs keep their recipients: segment_pages, or segment_recipients on a schema one version
    /// behind during a rollout (0012_segment_pages moves them), so deleting a segment or ending a run works on both.
    /// </summary>
    private async Task<string> RecipientsTableAsync(PostgresTenantTransaction transaction, string tenant, CancellationToken cancellationToken) =>
        await databases.HasVersionAsync(transaction, tenant, SegmentPagesVersion, cancellationToken) ? "segment_pages" : "segment_recipients";

    private static async Task LockRunsAsync(PostgresTenantTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.segment_runs'))");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> ExecuteAsync(PostgresTenantTransaction transaction, string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(sql);
        command.Parameters.Add(PostgresValues.Text(id));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(NpgsqlCommand command, Segment segment)
    {
        command.Parameters.Add(PostgresValues.Text(segment.Id));
        command.Parameters.Add(PostgresValues.Text(segment.Name));
        command.Parameters.Add(PostgresValues.Text(segment.Filter));
        command.Parameters.Add(PostgresValues.Time(segment.CreatedAt));
        command.Parameters.Add(PostgresValues.Time(segment.UpdatedAt));
    }

    private static NpgsqlParameter Long(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    private static async Task<SegmentRun?> ReadRunAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    private static SegmentRun ReadRun(NpgsqlDataReader reader)
    {
        long? Read(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        return new SegmentRun(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetTimeOrNull(5), reader.GetTimeOrNull(6), reader.GetTimeOrNull(7), reader.GetTimeOrNull(8),
            Read(9), Read(10), Read(11), reader.GetStringOrNull(12));
    }

    internal static string Milliseconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
