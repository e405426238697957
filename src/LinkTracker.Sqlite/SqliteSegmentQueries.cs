using System.Diagnostics;
using LinkTracker.Core.Clicks;
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

    /// <summary>The rows of the clicks table in each scan's window (the whole table for a scan of every recipient).</summary>
    public static async Task<long> EstimateRowsAsync(SqliteConnection connection, SegmentQuery query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await LimitedAsync(connection, timeout, async () =>
        {
            long rows = 0;
            await using var transaction = connection.BeginTransaction(deferred: true);
            // Each read counts: any of 30 nots reads every click 30 times (one count per distinct scan, times its reads).
            foreach (var group in query.Scans.GroupBy(s => s))
            {
                var scan = group.Key;
                // Only the bounds the scan has, so SQLite counts an id range of the primary key (or of clicks_code_id).
                var where = (scan.From is null ? "" : " AND id >= $from") + (scan.To is null ? "" : " AND id < $to") + (scan.Link is null ? "" : " AND code = $link");
                await using var command = connection.Command("SELECT count(*) FROM clicks WHERE 1 = 1" + where, transaction);
                command.Parameters.AddWithValue("$from", scan.From is { } f ? SqliteValues.ToBytes(ClickIdBounds.SmallestAt(f)) : DBNull.Value);
                command.Parameters.AddWithValue("$to", scan.To is { } t ? SqliteValues.ToBytes(ClickIdBounds.SmallestAt(t)) : DBNull.Value);
                command.Parameters.AddWithValue("$link", SqliteValues.ToDb(scan.Link));
                rows += (long)(await command.ExecuteScalarAsync(cancellationToken))! * group.Count();
            }

            return rows;
        });
    }

    /// <summary>The query's recipients, read in one read transaction: the click writer is never blocked by it.</summary>
    public static async Task<List<string>> ReadRecipientsAsync(SqliteConnection connection, SegmentQuery query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await LimitedAsync(connection, timeout, async () =>
        {
            await using var transaction = connection.BeginTransaction(deferred: true);
            await using var command = connection.Command(query.Sql, transaction);
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
