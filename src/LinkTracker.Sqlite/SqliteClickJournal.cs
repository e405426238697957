using LinkTracker.Core.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// The click journal in its own SQLite file in WAL mode. Appends come in groups (one transaction, one fsync
/// for many clicks); the writer reads each tenant's oldest entries and deletes them once they are stored.
/// </summary>
public sealed class SqliteClickJournal(SqliteDatabases databases) : IClickJournal, IDisposable
{
    // Appends and acknowledgements take turns in this process rather than fight over the file's write lock.
    private readonly SemaphoreSlim _write = new(1, 1);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenJournalAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, "Journal", $"The click journal ({databases.JournalPath})", cancellationToken);
    }

    public async Task AppendAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            await AppendLockedAsync(clicks, cancellationToken);
        }
        finally
        {
            _write.Release();
        }
    }

    public void Dispose() => _write.Dispose();

    private async Task AppendLockedAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenJournalAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.Command("""
            INSERT INTO journal (tenant, id, code, recipient, at, user_agent, referrer, client_address, flags)
            VALUES ($tenant, $id, $code, $recipient, $at, $ua, $referrer, $address, $flags)
            """, transaction);
        var p = insert.Parameters;
        foreach (var name in (string[])["$tenant", "$id", "$code", "$recipient", "$at", "$ua", "$referrer", "$address", "$flags"])
        {
            p.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (var click in clicks)
        {
            p[0].Value = click.Tenant;
            p[1].Value = SqliteValues.ToBytes(click.Id);
            p[2].Value = click.Code;
            p[3].Value = SqliteValues.ToDb(click.Recipient);
            p[4].Value = SqliteValues.ToUnixMs(click.At);
            p[5].Value = SqliteValues.ToDb(click.UserAgent);
            p[6].Value = SqliteValues.ToDb(click.Referrer);
            p[7].Value = SqliteValues.ToDb(click.ClientAddress);
            p[8].Value = (int)click.Flags;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenJournalAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT seq, id, code, recipient, at, user_agent, referrer, client_address, flags
            FROM journal WHERE tenant = $tenant ORDER BY seq LIMIT $max
            """);
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JournalEntry(reader.GetInt64(0), new Click(
                reader.GetUuid(1),
                tenant,
                reader.GetString(2),
                reader.GetStringOrNull(3),
                SqliteValues.FromUnixMs(reader.GetInt64(4)),
                reader.GetStringOrNull(5),
                reader.GetStringOrNull(6),
                reader.GetStringOrNull(7),
                (ClickFlags)reader.GetInt32(8))));
        }

        return entries;
    }

    public async Task AcknowledgeAsync(string tenant, long throughSequence, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await databases.OpenJournalAsync(cancellationToken);
            await using var command = connection.Command("DELETE FROM journal WHERE tenant = $tenant AND seq <= $seq");
            command.Parameters.AddWithValue("$tenant", tenant);
            command.Parameters.AddWithValue("$seq", throughSequence);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <remarks>A query: this journal is read only by the import of releases before ADR 9, never on a hot path.</remarks>
    public IReadOnlyDictionary<string, long> CountPending()
    {
        using var connection = databases.OpenJournalAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var command = connection.Command("SELECT tenant, count(*) FROM journal GROUP BY tenant");
        using var reader = command.ExecuteReader();
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            pending[reader.GetString(0)] = reader.GetInt64(1);
        }

        return pending;
    }

    public async Task<DateTimeOffset?> OldestPendingAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenJournalAsync(cancellationToken);
        await using var command = connection.Command(tenant is null
            ? "SELECT at FROM journal ORDER BY seq LIMIT 1"
            : "SELECT at FROM journal WHERE tenant = $tenant ORDER BY seq LIMIT 1");
        command.Parameters.AddWithValue("$tenant", SqliteValues.ToDb(tenant));
        return await command.ExecuteScalarAsync(cancellationToken) is long at ? SqliteValues.FromUnixMs(at) : null;
    }
}
