using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Common;
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
        await SetLimitsAsync(transaction, limits, cancellationToken);
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
    /// Reads the query's recipients under the limits, then stores them as pages (<see cref="RecipientPages"/>) with one
    /// binary COPY: the SELECT alone may use a parallel plan (an INSERT … SELECT may not), and 640,000 recipients are
    /// 640 rows to write instead of 640,000 index entries (ADR 29). Through the recipient index, with
    /// <see cref="SegmentRunLimits.RecipientIndexReaders"/> of 2 or more, in two halves at once (<see cref="ReadHalvesAsync"/>).
    /// </summary>
    /// <param name="transaction">The run's tenant transaction, where the pages are written.</param>
    /// <param name="openReader">Begins another transaction of the same tenant, for a half.</param>
    /// <param name="runId">The run whose pages these are.</param>
    /// <param name="query">The compiled segment.</param>
    /// <param name="limits">The time limit, memory and readers.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<long> StoreRecipientsAsync(
        PostgresTenantTransaction transaction,
        Func<CancellationToken, Task<PostgresTenantTransaction>> openReader,
        string runId,
        SegmentQuery query,
        SegmentRunLimits limits,
        CancellationToken cancellationToken)
    {
        var timeout = limits.StatementTimeout;
        await SetLimitsAsync(transaction, limits, cancellationToken);
        var indexed = query.GroupsInRecipientOrder && await PostgresRecipientIndex.ExistsAsync(transaction, cancellationToken);
        if (indexed)
        {
            await GroupInRecipientOrderAsync(transaction, cancellationToken);
        }

        List<string> recipients;
        try
        {
            recipients = indexed && limits.RecipientIndexReaders > 1 && query.RecipientHalves is { } halves
                && await SplitAsync(transaction, cancellationToken) is { } split
                ? await ReadHalvesAsync(transaction, openReader, query, halves, split, limits, cancellationToken)
                : await ReadAsync(transaction, query.Sql, query, null, timeout, cancellationToken);

            // Under the same limits: a timeout while writing is a timeout too, and rolls the whole run back.
            var pages = RecipientPages.Cut(recipients);
            await using (var clear = transaction.Command("DELETE FROM segment_pages WHERE run_id = $1"))
            {
                clear.Parameters.Add(PostgresValues.Text(runId));
                clear.CommandTimeout = CommandTimeoutSeconds(timeout);
                await clear.ExecuteNonQueryAsync(cancellationToken);
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

        return recipients.Count;
    }

    /// <summary>
    /// The planner estimates a third of the recipients a month of clicks has (312,769 for 964,000 at 10M clicks), so it
    /// hashes them even with the index; grouping over the index took 1.6 s where the hash took 3.7 (ADR 30, 31).
    /// </summary>
    private static async Task GroupInRecipientOrderAsync(PostgresTenantTransaction transaction, CancellationToken cancellationToken)
    {
        await using var sorted = transaction.Command("SET LOCAL enable_hashagg = off");
        await sorted.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The recipients below <paramref name="split"/> and those at or above it, each half on a reader transaction of its
    /// own at once (the planner does not parallelise the index's Merge Append and GroupAggregate): at 10M clicks each
    /// reads half the index. Both readers import the snapshot the run's transaction exports (REPEATABLE READ, SET
    /// TRANSACTION SNAPSHOT), so both halves see the same clicks; each runs under the run's limits.
    /// </summary>
    private static async Task<List<string>> ReadHalvesAsync(
        PostgresTenantTransaction transaction,
        Func<CancellationToken, Task<PostgresTenantTransaction>> openReader,
        SegmentQuery query,
        RecipientHalves halves,
        string split,
        SegmentRunLimits limits,
        CancellationToken cancellationToken)
    {
        string snapshot;
        await using (var export = transaction.Command("SELECT pg_export_snapshot()"))
        {
            snapshot = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
        }

        // SET TRANSACTION SNAPSHOT takes no parameter: the id is the server's (e.g. 00000003-0000001B-1), checked here.
        if (!snapshot.All(c => char.IsAsciiHexDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"PostgreSQL exported an unexpected snapshot id '{snapshot}'.");
        }

        async Task<List<string>> HalfAsync(string sql, CancellationToken token)
        {
            await using var reader = await openReader(token);
            await using (var import = reader.Command(
                $"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot}'"))
            {
                await import.ExecuteNonQueryAsync(token);
            }

            await SetLimitsAsync(reader, limits, token);
            await GroupInRecipientOrderAsync(reader, token);
            return await ReadAsync(reader, sql, query, split, limits.StatementTimeout, token);
        }

        var (below, above) = await Concurrently.BothAsync(
            token => HalfAsync(halves.Below, token), token => HalfAsync(halves.AtOrAbove, token), cancellationToken);
        below.AddRange(above);
        return below;
    }

    /// <summary>
    /// The middle recipient (<see cref="RecipientSplit"/>) of clicks sampled evenly over the time the tenant's clicks
    /// span, in the column's collation (the halves compare with it).
    /// </summary>
    private static async Task<string?> SplitAsync(PostgresTenantTransaction transaction, CancellationToken cancellationToken)
    {
        DateTimeOffset oldest, newest;
        await using (var span = transaction.Command("SELECT (SELECT at FROM clicks ORDER BY id LIMIT 1), (SELECT at FROM clicks ORDER BY id DESC LIMIT 1)"))
        await using (var reader = await span.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
            {
                return null;
            }

            (oldest, newest) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
        }

        await using var sample = transaction.Command("""
            SELECT s.recipient FROM unnest($1::uuid[]) AS x(id)
            CROSS JOIN LATERAL (SELECT recipient FROM clicks WHERE id >= x.id AND recipient IS NOT NULL ORDER BY id LIMIT 1) AS s
            ORDER BY s.recipient
            """);
        sample.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. RecipientSplit.SampleIds(oldest, newest)] });
        var recipients = new List<string>(RecipientSplit.Samples);
        await using (var reader = await sample.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recipients.Add(reader.GetString(0));
            }
        }

        return RecipientSplit.Middle(recipients);
    }

    private static async Task<List<string>> ReadAsync(
        PostgresTenantTransaction transaction, string sql, SegmentQuery query, string? split, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, sql, query, timeout);
        if (split is not null)
        {
            command.Parameters.Add(new NpgsqlParameter(SegmentSql.SplitParameter.TrimStart('@'), split));
        }

        var recipients = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recipients.Add(reader.GetString(0));
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

    private static async Task SetLimitsAsync(PostgresTenantTransaction transaction, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        // SET takes no parameters; the values are numbers formatted here, never input. LOCAL: all end with the transaction.
        // jit off: compiling a large plan is not interruptible, so statement_timeout stopped the bench's pathological
        // segment after 8.4 s instead of 5 (5.03 s without JIT); the common shapes spend milliseconds in JIT.
        var memory = limits.WorkMemoryMegabytes.ToString(CultureInfo.InvariantCulture);
        await using var command = transaction.Command(
            $"SET LOCAL statement_timeout = {PostgresSegmentStore.Milliseconds(limits.StatementTimeout)}; SET LOCAL work_mem = '{memory}MB'; SET LOCAL jit = off");
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
