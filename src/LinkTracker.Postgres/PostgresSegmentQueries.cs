using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Segments;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>
/// The compiled segment query on a tenant transaction: its cost is the rows the planner expects its scans to read
/// (EXPLAIN (FORMAT JSON)), and it runs under SET LOCAL statement_timeout, so PostgreSQL itself stops a slow one, and
/// SET LOCAL work_mem, so the hash aggregate of "at least N clicks" over a month of recipients stays in memory.
/// </summary>
internal static class PostgresSegmentQueries
{
    /// <summary>SQLSTATE query_canceled: what a statement stopped by statement_timeout fails with.</summary>
    private const string QueryCanceled = "57014";

    public static async Task<long> EstimateRowsAsync(PostgresTenantTransaction transaction, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        var timeout = limits.StatementTimeout;
        // EXPLAIN without ANALYZE still starts the executor, and PostgreSQL 15 builds a hashed set operation's or
        // aggregate's table there, sized by its estimated groups: the bench's 30 "not" branches over 1M recipients took
        // 4.3-5.9 s to EXPLAIN (about 145 ms a branch) and so hit the 5 s limit before running; planned with sorts,
        // 31-57 ms. The scans, whose rows are the estimate, are the same either way (300,290,641 rows in both plans).
        await SetLimitsAsync(transaction, limits, hashAggregates: false, cancellationToken);

        // The rows read, not the rows a filter keeps: a country or device condition does not narrow what is scanned.
        var reads = query.Reads ?? query;
        await using var command = Command(transaction, "EXPLAIN (FORMAT JSON) " + reads.Sql, reads, timeout);
        string plan;
        try
        {
            plan = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when (IsTimeout(ex))
        {
            throw new SegmentTimeoutException(timeout, ex);
        }

        using var json = JsonDocument.Parse(plan);
        return (long)Math.Ceiling(ScanRows(json.RootElement[0].GetProperty("Plan")));
    }

    /// <summary>
    /// Reads the query's recipients under the limits (as one JSON array), then stores them as pages
    /// (<see cref="RecipientPages"/>) with one binary COPY: the SELECT alone may use a parallel plan (an INSERT … SELECT
    /// may not), and 640,000 recipients are 640 rows to write instead of 640,000 index entries (ADR 29).
    /// </summary>
    public static async Task<long> StoreRecipientsAsync(
        PostgresTenantTransaction transaction, string runId, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        var timeout = limits.StatementTimeout;
        // The planner estimates a third of the recipients a month of clicks has (312,769 for 964,000 at 10M clicks),
        // so it hashes them even with the index; grouping over the index took 1.6 s where the hash took 3.7 (ADR 30, 31).
        var overIndex = query.GroupsInRecipientOrder && await PostgresRecipientIndex.ExistsAsync(transaction, cancellationToken);
        await SetLimitsAsync(transaction, limits, hashAggregates: !overIndex, cancellationToken);

        int recipients;
        try
        {
            // The recipients as one JSON array, not one row each: reading 655,000 rows took the service 0.5-0.7 s
            // more than the query itself (ADR 29, amended). In the database's order: Cut sorts them if need be, and
            // otherwise slices the text into pages without reading each name.
            List<RecipientPages.Page> pages;
            await using (var command = Command(transaction, $"SELECT json_agg(recipient) FROM ({query.Sql}) AS run", query, timeout))
            {
                (pages, recipients) = await command.ExecuteScalarAsync(cancellationToken) is string json
                    ? RecipientPages.Cut(json)
                    : ([], 0); // json_agg of no rows is NULL
            }

            // Under the same limits: a timeout while writing is a timeout too, and rolls the whole run back.
            await using (var clear = transaction.Command("DELETE FROM segment_pages WHERE run_id = $1"))
            {
                clear.Parameters.Add(PostgresValues.Text(runId));
                clear.CommandTimeout = CommandTimeoutSeconds(timeout);
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            // lz4 where the server has it: PostgreSQL's default (pglz) took 123-130 ms to compress a run's 648 pages of
            // JSON, lz4 36-43 ms, for a tenth more space. No row (and no change) on a server built without lz4.
            await using (var lz4 = transaction.Command(
                "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)"))
            {
                await lz4.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var importer = await transaction.Connection.BeginBinaryImportAsync(
                "COPY segment_pages (run_id, first_recipient, size, recipients) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var page in pages)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(runId, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(page.First, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(page.Count, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(page.Recipients, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTimeout(ex))
        {
            throw new SegmentTimeoutException(timeout, ex);
        }

        return recipients;
    }

    /// <summary>The planner's rows of every node that reads a table (scans of partitions included), its children's too.</summary>
    private static double ScanRows(JsonElement node)
    {
        var type = node.GetProperty("Node Type").GetString() ?? "";
        var own = type is "Seq Scan" or "Index Scan" or "Index Only Scan" or "Bitmap Heap Scan" or "Tid Scan" or "Tid Range Scan"
            ? node.GetProperty("Plan Rows").GetDouble()
            : 0;
        return own + (node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().Sum(ScanRows) : 0);
    }

    /// <summary>The run's limits for this transaction, and, unless <paramref name="hashAggregates"/>, enable_hashagg off (one round trip).</summary>
    private static async Task SetLimitsAsync(PostgresTenantTransaction transaction, SegmentRunLimits limits, bool hashAggregates, CancellationToken cancellationToken)
    {
        // SET takes no parameters; the values are numbers formatted here, never input. LOCAL: all end with the transaction.
        // jit off: compiling a large plan is not interruptible, so statement_timeout stopped the bench's pathological
        // segment after 8.4 s instead of 5 (5.03 s without JIT); the common shapes spend milliseconds in JIT.
        var memory = limits.WorkMemoryMegabytes.ToString(CultureInfo.InvariantCulture);
        await using var command = transaction.Command(
            $"SET LOCAL statement_timeout = {PostgresSegmentStore.Milliseconds(limits.StatementTimeout)}; SET LOCAL work_mem = '{memory}MB'; SET LOCAL jit = off"
            + (hashAggregates ? "" : "; SET LOCAL enable_hashagg = off"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stopped by the server's statement_timeout, or by the client's command timeout, a few seconds later, should the
    /// server not stop it (the bench saw a 1 s limit run to Npgsql's 30 s default).
    /// </summary>
    private static bool IsTimeout(Exception ex) =>
        ex is PostgresException { SqlState: QueryCanceled } || (ex is NpgsqlException && ex.InnerException is TimeoutException);

    /// <summary>The client's limit: a few seconds past the server's, should the server not stop the statement.</summary>
    private static int CommandTimeoutSeconds(TimeSpan statementTimeout) => (int)Math.Ceiling(statementTimeout.TotalSeconds) + 5;

    private static NpgsqlCommand Command(PostgresTenantTransaction transaction, string sql, SegmentQuery query, TimeSpan timeout)
    {
        var command = transaction.Command(sql);
        command.CommandTimeout = CommandTimeoutSeconds(timeout);
        foreach (var (name, value) in query.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name.TrimStart('@'), value));
        }

        return command;
    }
}
