using System.Diagnostics;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Segments;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LinkTracker.Sqlite;

/// <summary>
/// Runs a compiled segment query on a tenant connection under a time limit: a progress handler, called every
/// <see cref="ProgressOpcodes"/> virtual machine steps, stops the statement once the limit has passed (SQLITE_INTERRUPT).
/// </summary>
internal static class SqliteSegmentQueries
{
    private const int ProgressOpcodes = 1000;

    /// <summary>
    /// The rows of the clicks table in each scan's window (of its link, if it names one), from the hourly rollups the
    /// writer keeps with the clicks: whole hours, from the hour of the oldest click still stored (retention deletes
    /// clicks, not rollups). Counting them in the table read every row of the window: 0.55 s for a 30-day window of
    /// 3.3M clicks, twice per run (when asked for and when it starts); the rollups answer in a millisecond (ADR 30).
    /// </summary>
    public static async Task<long> EstimateRowsAsync(SqliteConnection connection, SegmentQuery query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await LimitedAsync(connection, timeout, async () =>
        {
            await using var transaction = connection.BeginTransaction(deferred: true);
            if (await OldestClickMsAsync(connection, transaction, cancellationToken) is not { } oldestMs)
            {
                return 0;
            }

            long rows = 0;
            // Each read counts: any of 30 nots reads every click 30 times (one count per distinct scan, times its reads).
            foreach (var group in query.Scans.GroupBy(s => s))
            {
                rows += await RollupRowsAsync(connection, transaction, group.Key, oldestMs, cancellationToken) * group.Count();
            }

            return rows;
        });
    }

    /// <summary>
    /// The query's recipients, read in one read transaction: the click writer is never blocked by it. Through the
    /// tenant's recipient index when it has one and it pays (<see cref="RecipientIndexPaysAsync"/>).
    /// </summary>
    public static async Task<List<string>> ReadRecipientsAsync(SqliteConnection connection, SegmentQuery query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await LimitedAsync(connection, timeout, async () =>
        {
            await using var transaction = connection.BeginTransaction(deferred: true);
            var sql = await RecipientIndexPaysAsync(connection, transaction, query, cancellationToken) ? query.SqliteRecipientIndexSql! : query.Sql;
            await using var command = connection.Command(sql, transaction);
            foreach (var (name, value) in query.Parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var recipients = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recipients.Add(reader.GetString(0));
            }

            return recipients;
        });
    }

    /// <summary>
    /// Whether to read an "at least N clicks" window through the recipient index: it exists, and the window holds at least
    /// <see cref="RecipientIndexShare"/> of the tenant's clicks. The index is read whole (the window is a filter on its
    /// second column), the window's rows by id need a temporary B-tree to group: at 10M clicks a run through the index
    /// took 1.45 s (0.15 µs per click in it), a 30-day window of 3.3M by id 2.5 s (0.75 µs a row); even at a fifth (ADR 31).
    /// </summary>
    private static async Task<bool> RecipientIndexPaysAsync(SqliteConnection connection, SqliteTransaction transaction, SegmentQuery query, CancellationToken cancellationToken)
    {
        if (query.SqliteRecipientIndexSql is null || query.Scans is not [var window])
        {
            return false;
        }

        if (!await SqliteRecipientIndex.ExistsAsync(connection, transaction, cancellationToken)
            || await OldestClickMsAsync(connection, transaction, cancellationToken) is not { } oldestMs)
        {
            return false;
        }

        var all = await RollupRowsAsync(connection, transaction, new SegmentScan(null, null, null), oldestMs, cancellationToken);
        var rows = await RollupRowsAsync(connection, transaction, window, oldestMs, cancellationToken);
        return all > 0 && rows >= all * RecipientIndexShare;
    }

    /// <summary>The share of a tenant's clicks from which a window is read through the recipient index.</summary>
    public const double RecipientIndexShare = 0.2;

    /// <summary>When the oldest click still stored happened (retention deletes clicks, not rollups); null without clicks.</summary>
    private static async Task<long?> OldestClickMsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var oldest = connection.Command("SELECT at FROM clicks ORDER BY id LIMIT 1", transaction);
        return await oldest.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>The clicks of a scan's window (and link) from the hourly rollups, whole hours, from the oldest click's hour.</summary>
    private static async Task<long> RollupRowsAsync(SqliteConnection connection, SqliteTransaction transaction, SegmentScan scan, long oldestMs, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT coalesce(sum(clicks), 0) FROM rollup_hourly WHERE scope = $scope AND hour >= $from AND ($to IS NULL OR hour < $to)", transaction);
        command.Parameters.AddWithValue("$scope", (scan.Link is null ? StatsScope.Tenant : StatsScope.ForLink(scan.Link)).RollupKey);
        command.Parameters.AddWithValue("$from", SqliteValues.HourFloor(Math.Max(oldestMs, scan.From?.ToUnixTimeMilliseconds() ?? long.MinValue)));
        // The hour that holds the last millisecond before the end counts whole.
        command.Parameters.AddWithValue("$to", scan.To is { } to ? SqliteValues.HourCeiling(to.ToUnixTimeMilliseconds()) : DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<T> LimitedAsync<T>(SqliteConnection connection, TimeSpan timeout, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var handle = connection.Handle ?? throw new InvalidOperationException("The tenant connection is not open.");
        raw.sqlite3_progress_handler(handle, ProgressOpcodes, _ => clock.Elapsed > timeout ? 1 : 0, null);
        try
        {
            return await work();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_INTERRUPT)
        {
            throw new SegmentTimeoutException(timeout, ex);
        }
        finally
        {
            // The connection goes back to the pool: the next user must not inherit the limit.
            raw.sqlite3_progress_handler(handle, 0, null, null);
        }
    }
}
