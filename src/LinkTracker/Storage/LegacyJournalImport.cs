using LinkTracker.Clicks.Journal;
using LinkTracker.Sqlite;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Storage;

/// <summary>
/// Moves clicks left in journal.db (the SQLite journal of releases before ADR 9) into the segment journal, then
/// deletes the file. A crash half way imports some clicks twice; the writer's upserts by id drop the copies.
/// </summary>
internal static partial class LegacyJournalImport
{
    private const int Chunk = 10_000;

    public static async Task<long> RunAsync(SqliteDatabases databases, SegmentClickJournal journal, ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(databases.JournalPath))
        {
            return 0;
        }

        var legacy = new SqliteClickJournal(databases);
        await legacy.MigrateAsync(cancellationToken);
        long moved = 0;
        foreach (var tenant in legacy.CountPending().Keys)
        {
            while (await legacy.ReadAsync(tenant, Chunk, cancellationToken) is { Count: > 0 } entries)
            {
                await journal.AppendAsync([.. entries.Select(e => e.Click)], cancellationToken);
                journal.Flush(); // durable before the old copy goes, also with Capture:Synchronous=Normal
                await legacy.AcknowledgeAsync(tenant, entries[^1].Sequence, cancellationToken);
                moved += entries.Count;
            }
        }

        legacy.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(databases.JournalPath + suffix);
        }

        LogImported(logger, moved, databases.JournalPath);
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} waiting clicks from {Path} into the segment journal and deleted it")]
    private static partial void LogImported(ILogger logger, long count, string path);
}
