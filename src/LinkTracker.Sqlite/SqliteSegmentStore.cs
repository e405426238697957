using LinkTracker.Core.Segments;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// Segments, runs and recipients in the tenant's own database file. The segment query itself runs in
/// <see cref="SqliteSegmentQueries"/>: in a read transaction (WAL lets the click writer go on), with a time limit.
/// </summary>
public sealed class SqliteSegmentStore(SqliteDatabases databases) : ISegmentStore
{
    private const string RunColumns = "id, segment_id, filter, state, requested_at, started_at, lease_until, finished_at, as_of, recipients, rows_read, duration_ms, error";

    public SegmentDialect Dialect => SegmentDialect.Sqlite;

    public async Task AddAsync(string tenant, Segment segment, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("INSERT INTO segments (id, name, filter, created_at, updated_at) VALUES ($id, $name, $filter, $created, $updated)");
        Bind(command, segment);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Segment?> GetAsync(string tenant, string id, CancellationToken cancellationToken) =>
        (await QuerySegmentsAsync(tenant, "WHERE id = $id", id, 1, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Segment>> ListAsync(string tenant, string? after, int limit, CancellationToken cancellationToken) =>
        QuerySegmentsAsync(tenant, "WHERE id > $id", after ?? "", limit, cancellationToken);

    public async Task<bool> UpdateAsync(string tenant, Segment segment, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("UPDATE segments SET name = $name, filter = $filter, updated_at = $updated WHERE id = $id");
        Bind(command, segment);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.Command("""
            DELETE FROM segment_pages WHERE run_id IN (SELECT id FROM segment_runs WHERE segment_id = $id);
            DELETE FROM segment_runs WHERE segment_id = $id;
            DELETE FROM segments WHERE id = $id;
            SELECT changes();
            """, transaction);
        command.Parameters.AddWithValue("$id", id);
        var deleted = (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<long> EstimateRowsAsync(string tenant, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        return await SqliteSegmentQueries.EstimateRowsAsync(connection, query, limits.StatementTimeout, cancellationToken);
    }

    public async Task<bool> QueueRunAsync(string tenant, SegmentRun run, int maxQueued, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // One statement: the count and the insert see the same rows (SQLite has one writer at a time).
        await using var command = connection.Command("""
            INSERT INTO segment_runs (id, segment_id, filter, state, requested_at)
            SELECT $id, $segment, $filter, 'queued', $at WHERE (SELECT count(*) FROM segment_runs WHERE state = 'queued') < $max
            """);
        command.Parameters.AddWithValue("$id", run.Id);
        command.Parameters.AddWithValue("$segment", run.SegmentId);
        command.Parameters.AddWithValue("$filter", run.Filter);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(run.RequestedAt));
        command.Parameters.AddWithValue("$max", maxQueued);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<SegmentRun?> GetRunAsync(string tenant, string segmentId, string runId, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT {RunColumns} FROM segment_runs WHERE id = $id AND segment_id = $segment");
        command.Parameters.AddWithValue("$id", runId);
        command.Parameters.AddWithValue("$segment", segmentId);
        return await ReadRunAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentRun>> ListRunsAsync(string tenant, string segmentId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT {RunColumns} FROM segment_runs WHERE segment_id = $segment ORDER BY requested_at DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$segment", segmentId);
        command.Parameters.AddWithValue("$limit", limit);
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
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.Command($"""
            UPDATE segment_runs SET state = 'queued', started_at = NULL, lease_until = NULL WHERE state = 'running' AND lease_until <= $now;
            UPDATE segment_runs SET state = 'running', started_at = $now, lease_until = $until
            WHERE id = (SELECT id FROM segment_runs WHERE state = 'queued' ORDER BY requested_at, id LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM segment_runs WHERE state = 'running')
            RETURNING {RunColumns};
            """, transaction);
        command.Parameters.AddWithValue("$now", SqliteValues.ToUnixMs(now));
        command.Parameters.AddWithValue("$until", SqliteValues.ToUnixMs(leaseUntil));
        var run = await ReadRunAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<long> StoreRecipientsAsync(string tenant, string runId, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        var recipients = await SqliteSegmentQueries.ReadRecipientsAsync(connection, query, limits.StatementTimeout, cancellationToken);
        // Pages of 1,000 in code point order (ADR 29): 640,000 recipients are 640 rows, where one row each took 0.4-7 s
        // depending on their order (docs/benchmarks.md, 2026-12-06 segments).
        var pages = RecipientPages.Cut(recipients);
        await using var transaction = connection.BeginTransaction();
        await using (var clear = connection.Command("DELETE FROM segment_pages WHERE run_id = $run", transaction))
        {
            clear.Parameters.AddWithValue("$run", runId);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.Command(
            "INSERT INTO segment_pages (run_id, first_recipient, size, recipients) VALUES ($run, $first, $size, $recipients)", transaction);
        insert.Parameters.AddWithValue("$run", runId);
        var first = insert.Parameters.Add("$first", SqliteType.Text);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        var names = insert.Parameters.Add("$recipients", SqliteType.Text);
        foreach (var page in pages)
        {
            first.Value = page.First;
            size.Value = page.Count;
            names.Value = page.Recipients;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return recipients.Count;
    }

    public async Task FinishRunAsync(string tenant, SegmentRun run, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.Command("""
            UPDATE segment_runs SET state = $state, finished_at = $finished, as_of = $asOf, recipients = $recipients,
                rows_read = $rows, duration_ms = $duration, error = $error, lease_until = NULL
            WHERE id = $id;
            DELETE FROM segment_pages WHERE $state = 'completed' AND run_id IN
                (SELECT id FROM segment_runs WHERE segment_id = $segment AND id <> $id);
            DELETE FROM segment_pages WHERE run_id = $id AND NOT EXISTS (SELECT 1 FROM segment_runs WHERE id = $id);
            """, transaction);
        command.Parameters.AddWithValue("$id", run.Id);
        command.Parameters.AddWithValue("$segment", run.SegmentId);
        command.Parameters.AddWithValue("$state", run.State);
        command.Parameters.AddWithValue("$finished", SqliteValues.ToDb(run.FinishedAt));
        command.Parameters.AddWithValue("$asOf", SqliteValues.ToDb(run.AsOf));
        command.Parameters.AddWithValue("$recipients", (object?)run.Recipients ?? DBNull.Value);
        command.Parameters.AddWithValue("$rows", (object?)run.RowsRead ?? DBNull.Value);
        command.Parameters.AddWithValue("$duration", (object?)run.DurationMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", SqliteValues.ToDb(run.Error));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<SegmentRun?> GetLastCompletedRunAsync(string tenant, string segmentId, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"""
            SELECT {RunColumns} FROM segment_runs WHERE segment_id = $segment AND state = 'completed'
            ORDER BY finished_at DESC, id DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("$segment", segmentId);
        return await ReadRunAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListRecipientsAsync(string tenant, string runId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // From the page that may hold the cursor (the last whose first recipient is not after it) on.
        await using var command = connection.Command("""
            SELECT recipients FROM segment_pages
            WHERE run_id = $run AND first_recipient >= coalesce(
                (SELECT max(first_recipient) FROM segment_pages WHERE run_id = $run AND first_recipient <= $after), '')
            ORDER BY first_recipient LIMIT $pages
            """);
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$after", after ?? "");
        command.Parameters.AddWithValue("$pages", RecipientPages.PagesFor(limit));
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
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT id, name, filter, created_at, updated_at FROM segments {where} ORDER BY id LIMIT $limit");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$limit", limit);
        var segments = new List<Segment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(new Segment(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                SqliteValues.FromUnixMs(reader.GetInt64(3)), SqliteValues.FromUnixMs(reader.GetInt64(4))));
        }

        return segments;
    }

    private static void Bind(SqliteCommand command, Segment segment)
    {
        command.Parameters.AddWithValue("$id", segment.Id);
        command.Parameters.AddWithValue("$name", segment.Name);
        command.Parameters.AddWithValue("$filter", segment.Filter);
        command.Parameters.AddWithValue("$created", SqliteValues.ToUnixMs(segment.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteValues.ToUnixMs(segment.UpdatedAt));
    }

    private static async Task<SegmentRun?> ReadRunAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    private static SegmentRun ReadRun(SqliteDataReader reader)
    {
        long? Long(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        return new SegmentRun(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), SqliteValues.FromUnixMs(reader.GetInt64(4)),
            reader.GetTimeOrNull(5), reader.GetTimeOrNull(6), reader.GetTimeOrNull(7), reader.GetTimeOrNull(8),
            Long(9), Long(10), Long(11), reader.GetStringOrNull(12));
    }
}
