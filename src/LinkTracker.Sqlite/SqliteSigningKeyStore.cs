using LinkTracker.Core.SignedLinks;

namespace LinkTracker.Sqlite;

/// <summary>Signing keys in the embedded catalog (0003_signing_keys.sql).</summary>
public sealed class SqliteSigningKeyStore(SqliteDatabases databases) : ISigningKeyStore
{
    public async Task<bool> AddAsync(StoredSigningKey key, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO signing_keys (tenant, id, secret, created_at) VALUES ($tenant, $id, $secret, $at)
            ON CONFLICT (tenant, id) DO NOTHING
            """);
        command.Parameters.AddWithValue("$tenant", key.Tenant);
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$secret", key.ProtectedSecret);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(key.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(tenant is null
            ? "SELECT tenant, id, secret, created_at FROM signing_keys ORDER BY tenant, created_at, id"
            : "SELECT tenant, id, secret, created_at FROM signing_keys WHERE tenant = $tenant ORDER BY created_at, id");
        if (tenant is not null)
        {
            command.Parameters.AddWithValue("$tenant", tenant);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredSigningKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new StoredSigningKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteValues.FromUnixMs(reader.GetInt64(3))));
        }

        return keys;
    }

    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM signing_keys WHERE tenant = $tenant AND id = $id");
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
