using LinkTracker.Core.Segments;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// The recipient index in a tenant's database file (ADR 31): (recipient, id, flags) for clicks with a recipient, so
/// an "at least N clicks" run reads its window from the index alone, in recipient order. Partial on
/// <see cref="SegmentSql.SqliteRecipientIndexTerm"/>, a term only the runs that should read it state. CREATE INDEX holds the file's
/// write lock while it sorts (seconds per 10M clicks); the click writer waits meanwhile (busy_timeout, then retry) and
/// its clicks wait in the journal, none lost.
/// </summary>
public sealed class SqliteRecipientIndex(SqliteDatabases databases) : IRecipientIndex
{
    public async Task<bool> ExistsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        return await ExistsAsync(connection, null, cancellationToken);
    }

    /// <summary>Whether the tenant's database has the index, read on the caller's connection (and transaction).</summary>
    internal static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $name", transaction);
        command.Parameters.AddWithValue("$name", IRecipientIndex.Name);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    public async Task BuildAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // One statement: SQLite builds the whole index or, interrupted, none of it.
        await using var command = connection.Command(
            $"CREATE INDEX IF NOT EXISTS {IRecipientIndex.Name} ON clicks (recipient, id, flags) WHERE {SegmentSql.SqliteRecipientIndexTerm}");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DropAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        var existed = await ExistsAsync(connection, null, cancellationToken);
        await using var command = connection.Command($"DROP INDEX IF EXISTS {IRecipientIndex.Name}");
        await command.ExecuteNonQueryAsync(cancellationToken);
        return existed;
    }
}
