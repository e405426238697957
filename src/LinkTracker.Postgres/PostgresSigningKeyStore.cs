using LinkTracker.Core.SignedLinks;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// Signing keys in catalog.signing_keys (0005_signing_keys.sql), read and written by the runtime login. A catalog one
/// version behind (served during a rollout) has no such table: it has no keys, and adding one says to migrate.
/// </summary>
public sealed class PostgresSigningKeyStore(PostgresDatabases databases) : ISigningKeyStore
{
    public async Task<bool> AddAsync(StoredSigningKey key, CancellationToken cancellationToken)
    {
        await using var command = databases.Runtime.CreateCommand("""
            INSERT INTO catalog.signing_keys (tenant, id, secret, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant, id) DO NOTHING
            """);
        command.Parameters.Add(PostgresValues.Text(key.Tenant));
        command.Parameters.Add(PostgresValues.Text(key.Id));
        command.Parameters.Add(PostgresValues.Text(key.ProtectedSecret));
        command.Parameters.Add(PostgresValues.Time(key.CreatedAt));
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
        {
            throw new InvalidOperationException("The catalog has no signing_keys table yet: run `linktracker migrate` with the owner connection.", e);
        }
    }

    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(string? tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await databases.Runtime.ReadAsync<IReadOnlyList<StoredSigningKey>>(
                async connection =>
                {
                    await using var command = new NpgsqlCommand(
                        tenant is null
                            ? "SELECT tenant, id, secret, created_at FROM catalog.signing_keys ORDER BY tenant COLLATE \"C\", created_at, id COLLATE \"C\""
                            : "SELECT tenant, id, secret, created_at FROM catalog.signing_keys WHERE tenant = $1 ORDER BY created_at, id COLLATE \"C\"",
                        connection);
                    if (tenant is not null)
                    {
                        command.Parameters.Add(PostgresValues.Text(tenant));
                    }

                    var keys = new List<StoredSigningKey>();
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        keys.Add(new StoredSigningKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
                    }

                    return keys;
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var command = databases.Runtime.CreateCommand("DELETE FROM catalog.signing_keys WHERE tenant = $1 AND id = $2");
        command.Parameters.Add(PostgresValues.Text(tenant));
        command.Parameters.Add(PostgresValues.Text(id));
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
    }
}
