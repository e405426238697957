using LinkTracker.Core.Tenants;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

public sealed class SqliteCatalogStore(SqliteDatabases databases) : ICatalogStore
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await SqliteMigrator.MigrateAsync(connection, "Catalog", $"The catalog ({databases.CatalogPath})", cancellationToken);
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command("SELECT slug, name, created_at FROM tenants ORDER BY slug");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tenants = new List<Tenant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new Tenant(reader.GetString(0), reader.GetString(1), SqliteValues.FromUnixMs(reader.GetInt64(2))));
        }

        return tenants;
    }

    public async Task<bool> AddTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO tenants (slug, name, created_at) VALUES ($slug, $name, $at) ON CONFLICT (slug) DO NOTHING");
        command.Parameters.AddWithValue("$slug", tenant.Slug);
        command.Parameters.AddWithValue("$name", tenant.Name);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(tenant.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO api_keys (id, tenant, secret_hash, label, created_at) VALUES ($id, $tenant, $hash, $label, $at)");
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$tenant", key.Tenant);
        command.Parameters.AddWithValue("$hash", key.SecretHash);
        command.Parameters.AddWithValue("$label", SqliteValues.ToDb(key.Label));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(key.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>The embedded catalog is migrated by the process itself, so <paramref name="legacyId"/> is never needed.</remarks>
    public async Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, string? legacyId, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(SelectKeys + " WHERE secret_hash = $hash");
        command.Parameters.AddWithValue("$hash", secretHash);
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 1 ? keys[0] : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(SelectKeys + " WHERE tenant = $tenant ORDER BY created_at");
        command.Parameters.AddWithValue("$tenant", tenant);
        return await ReadKeysAsync(command, cancellationToken);
    }

    public async Task<bool> RevokeApiKeyAsync(string tenant, string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenCatalogAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE api_keys SET revoked_at = $at WHERE id = $id AND tenant = $tenant AND revoked_at IS NULL");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private const string SelectKeys = "SELECT id, tenant, secret_hash, label, created_at, revoked_at FROM api_keys";

    private static async Task<List<ApiKey>> ReadKeysAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKey(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<byte[]>(2),
                reader.GetStringOrNull(3),
                SqliteValues.FromUnixMs(reader.GetInt64(4)),
                reader.GetTimeOrNull(5)));
        }

        return keys;
    }
}
