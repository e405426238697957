using LinkTracker.Core.Segments;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// The recipient index on a tenant's partitioned clicks (ADR 31): (recipient, id) INCLUDE (flags) for clicks with a
/// recipient. CREATE INDEX CONCURRENTLY cannot build a partitioned table's index, so it is built the way PostgreSQL's
/// documentation gives: the parent's index ON ONLY clicks (invalid), each partition's concurrently (the click writer
/// goes on), attached one by one; the parent's becomes valid when every partition has one. Months created later get
/// theirs with the partition. Needs the owner connection, like a migration.
/// </summary>
public sealed class PostgresRecipientIndex(PostgresDatabases databases) : IRecipientIndex
{
    private const string Columns = "(recipient, id) INCLUDE (flags) WHERE recipient IS NOT NULL";

    public async Task<bool> ExistsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        return await ExistsAsync(transaction, cancellationToken);
    }

    /// <summary>Whether the tenant's schema has the parent index and it is valid (every partition's is attached).</summary>
    internal static async Task<bool> ExistsAsync(PostgresTenantTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command("""
            SELECT coalesce((SELECT i.indisvalid FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
                             WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace), false)
            """);
        command.Parameters.Add(PostgresValues.Text(IRecipientIndex.Name));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task BuildAsync(string tenant, CancellationToken cancellationToken)
    {
        var schema = PostgresDatabases.TenantSchema(tenant);
        await LockedAsync(schema, async connection =>
        {
            await BuildAsync(connection, schema, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<bool> DropAsync(string tenant, CancellationToken cancellationToken)
    {
        var schema = PostgresDatabases.TenantSchema(tenant);
        return await LockedAsync(schema, connection => DropAsync(connection, schema, cancellationToken), cancellationToken);
    }

    private static async Task BuildAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"CREATE INDEX IF NOT EXISTS {IRecipientIndex.Name} ON ONLY {Q(schema)}.clicks {Columns}", cancellationToken);
        // Again until none is missing: a month's partition created meanwhile may or may not have got its index with it.
        while (await UnindexedPartitionsAsync(connection, schema, cancellationToken) is { Count: > 0 } partitions)
        {
            foreach (var partition in partitions)
            {
                var index = partition + "_recipient";
                // An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index behind: drop it and build again.
                if (await IsInvalidAsync(connection, schema, index, cancellationToken))
                {
                    await ExecuteAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {Q(schema)}.{Q(index)}", cancellationToken);
                }

                await ExecuteAsync(connection, $"CREATE INDEX CONCURRENTLY IF NOT EXISTS {Q(index)} ON {Q(schema)}.{Q(partition)} {Columns}", cancellationToken);
                await ExecuteAsync(connection, $"ALTER INDEX {Q(schema)}.{IRecipientIndex.Name} ATTACH PARTITION {Q(schema)}.{Q(index)}", cancellationToken);
            }
        }
    }

    private static async Task<bool> DropAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL", connection);
        exists.Parameters.Add(PostgresValues.Text(schema));
        exists.Parameters.Add(PostgresValues.Text(IRecipientIndex.Name));
        var existed = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        // The parent's index takes the attached ones with it; an interrupted build may have left unattached ones.
        await ExecuteAsync(connection, $"DROP INDEX IF EXISTS {Q(schema)}.{IRecipientIndex.Name}", cancellationToken);
        await using var leftovers = new NpgsqlCommand("""
            SELECT c.relname FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
            JOIN pg_inherits AS p ON p.inhrelid = i.indrelid
            WHERE p.inhparent = format('%I.clicks', $1::text)::regclass AND c.relname LIKE '%\_recipient'
            """, connection);
        leftovers.Parameters.Add(PostgresValues.Text(schema));
        foreach (var name in await NamesAsync(leftovers, cancellationToken))
        {
            await ExecuteAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {Q(schema)}.{Q(name)}", cancellationToken);
        }

        return existed;
    }

    /// <summary>On an owner connection, under the tenant's index lock: one build or drop at a time.</summary>
    private async Task<T> LockedAsync<T>(string schema, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await databases.Owner.OpenConnectionAsync(cancellationToken);
        await using (var take = LockCommand(connection, "pg_advisory_lock", schema))
        {
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            return await work(connection);
        }
        finally
        {
            // Not left to the pool: it resets a connection when it is next opened, so an idle one would keep the lock.
            await using var release = LockCommand(connection, "pg_advisory_unlock", schema);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static NpgsqlCommand LockCommand(NpgsqlConnection connection, string function, string schema)
    {
        var command = new NpgsqlCommand($"SELECT {function}(hashtext($1 || '.' || $2))", connection);
        command.Parameters.Add(PostgresValues.Text(schema));
        command.Parameters.Add(PostgresValues.Text(IRecipientIndex.Name));
        return command;
    }

    /// <summary>The partitions of clicks with no index attached to the parent's.</summary>
    private static async Task<List<string>> UnindexedPartitionsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits AS p JOIN pg_class AS c ON c.oid = p.inhrelid
            WHERE p.inhparent = format('%I.clicks', $1::text)::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_inherits AS a JOIN pg_index AS i ON i.indexrelid = a.inhrelid
                              WHERE a.inhparent = format('%I.%I', $1::text, $2::text)::regclass AND i.indrelid = c.oid)
            ORDER BY c.relname
            """, connection);
        command.Parameters.Add(PostgresValues.Text(schema));
        command.Parameters.Add(PostgresValues.Text(IRecipientIndex.Name));
        return await NamesAsync(command, cancellationToken);
    }

    /// <summary>The command's one text column, read whole before the caller runs DDL on the same connection.</summary>
    private static async Task<List<string>> NamesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<bool> IsInvalidAsync(NpgsqlConnection connection, string schema, string index, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
                           WHERE c.relname = $2 AND c.relnamespace = $1::regnamespace AND NOT i.indisvalid)
            """, connection);
        command.Parameters.Add(PostgresValues.Text(Q(schema)));
        command.Parameters.Add(PostgresValues.Text(index));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 }; // a month's partition may take minutes
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Q(string identifier) => PostgresNames.Quote(identifier);
}
