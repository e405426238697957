using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Segments;
using Npgsql;

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

    public static async Task<long> StoreRecipientsAsync(
        PostgresTenantTransaction transaction, string runId, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken)
    {
        var timeout = limits.StatementTimeout;
        await SetLimitsAsync(transaction, limits, cancellationToken);
        // In the primary key's order ("C", as the column): at 640,000 recipients that halved the index's page visits and
        // the INSERT's time against hash order (docs/benchmarks.md, 2026-12-06 segments).
        await using var command = Command(
            transaction, $"INSERT INTO segment_recipients (run_id, recipient) SELECT @run, recipient FROM ({query.Sql}) AS r ORDER BY recipient COLLATE \"C\"", query, timeout);
        command.Parameters.Add(new NpgsqlParameter("run", runId));
        try
        {
            await using (var clear = transaction.Command("DELETE FROM segment_recipients WHERE run_id = $1"))
            {
                clear.Parameters.Add(PostgresValues.Text(runId));
                clear.CommandTimeout = command.CommandTimeout;
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTimeout(ex))
        {
            throw new SegmentTimeoutException(timeout, ex);
        }
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
        // SET takes no parameters; the values are numbers formatted here, never input. LOCAL: both end with the transaction.
        var memory = limits.WorkMemoryMegabytes.ToString(CultureInfo.InvariantCulture);
        await using var command = transaction.Command(
            $"SET LOCAL statement_timeout = {PostgresSegmentStore.Milliseconds(limits.StatementTimeout)}; SET LOCAL work_mem = '{memory}MB'");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stopped by the server's statement_timeout, or by the client's command timeout, a few seconds later, should the
    /// server not stop it (the bench saw a 1 s limit run to Npgsql's 30 s default).
    /// </summary>
    private static bool IsTimeout(Exception ex) =>
        ex is PostgresException { SqlState: QueryCanceled } || (ex is NpgsqlException && ex.InnerException is TimeoutException);

    private static NpgsqlCommand Command(PostgresTenantTransaction transaction, string sql, SegmentQuery query, TimeSpan timeout)
    {
        var command = transaction.Command(sql);
        command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) + 5;
        foreach (var (name, value) in query.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name.TrimStart('@'), value));
        }

        return command;
    }
}
