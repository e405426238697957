using LinkTracker.Core.Tenants;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// The catalog schema, read and written by the runtime login; migrated by the owner when this process has it. Key
/// hashes are written, never read back: a key is found by its hash with catalog.find_api_key.
/// </summary>
public sealed class PostgresCatalogStore(PostgresDatabases databases) : ICatalogStore
{
    private const string SelectKeys = "SELECT id, tenant, label, created_at, revoked_at FROM catalog.api_keys";

    private static string DatabaseName => $"The catalog ({PostgresNames.CatalogSchema} schema)";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (!databases.CanMigrate)
        {
            try
            {
                var version = await databases.Runtime.ReadAsync(
                    async connection =>
                    {
                        await using var read = new NpgsqlCommand("SELECT version FROM catalog.schema_version", connection);
                        return (int)(await read.ExecuteScalarAsync(cancellationToken))!;
                    },
                    cancellationToken);
                PostgresMigrator.CheckVersion(version, "Catalog", DatabaseName);
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
            {
                throw new InvalidOperationException($"{DatabaseName} does not exist yet: migrate it once with the owner connection.", e);
            }
        }

        await MigrateWithOwnerAsync(databases, cancellationToken);
    }

    /// <summary>
    /// Migrates the catalog and re-applies the runtime login's grants, the narrowest the service needs (ADR 12): it
    /// reads tenants and the tenants' encrypted passwords, adds and revokes keys, takes write slots from the database's
    /// write budget (ADR 22), but reads no key hash (it asks
    /// catalog.find_api_key), and it writes no password.
    /// </summary>
    internal static async Task MigrateWithOwnerAsync(PostgresDatabases databases, CancellationToken cancellationToken)
    {
        var schema = PostgresNames.Quote(PostgresNames.CatalogSchema);
        var runtimeUser = PostgresNames.Quote(await databases.RuntimeUserAsync(cancellationToken));
        await using var connection = await databases.Owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresMigrator.LockAsync(connection, transaction, PostgresNames.CatalogSchema, cancellationToken);
        await using (var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {schema}", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await PostgresMigrator.MigrateAsync(connection, transaction, PostgresNames.CatalogSchema, "Catalog", DatabaseName, cancellationToken);
        await using (var grant = new NpgsqlCommand($"""
            REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;
            REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {runtimeUser};
            REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC, {runtimeUser};
            GRANT USAGE ON SCHEMA {schema} TO {runtimeUser};
            GRANT SELECT ON {schema}.schema_version TO {runtimeUser};
            GRANT SELECT, INSERT, UPDATE ON {schema}.tenants TO {runtimeUser};
            GRANT SELECT (id, tenant, label, created_at, revoked_at), INSERT, UPDATE (revoked_at) ON {schema}.api_keys TO {runtimeUser};
            GRANT SELECT ON {schema}.tenant_logins TO {runtimeUser};
            GRANT SELECT, UPDATE ON {schema}.write_budget TO {runtimeUser};
            GRANT SELECT, INSERT, DELETE ON {schema}.signing_keys TO {runtimeUser};
            GRANT EXECUTE ON FUNCTION {schema}.find_api_key(bytea) TO {runtimeUser};
            """, connection, transaction))
        {
            await grant.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        return await databases.Runtime.ReadAsync<IReadOnlyList<Tenant>>(
            async connection =>
            {
                await using var command = new NpgsqlCommand("SELECT slug, name, created_at FROM catalog.tenants ORDER BY slug COLLATE \"C\"", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var tenants = new List<Tenant>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    tenants.Add(new Tenant(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
                }

                return tenants;
            },
            cancellationToken);
    }

    public async Task<bool> AddTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        await using var command = databases.Runtime.CreateCommand(
            "INSERT INTO catalog.tenants (slug, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING");
        command.Parameters.Add(PostgresValues.Text(tenant.Slug));
        command.Parameters.Add(PostgresValues.Text(tenant.Name));
        command.Parameters.Add(PostgresValues.Time(tenant.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await using var command = databases.Runtime.CreateCommand(
            "INSERT INTO catalog.api_keys (id, tenant, secret_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(PostgresValues.Text(key.Id));
        command.Parameters.Add(PostgresValues.Text(key.Tenant));
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.SecretHash });
        command.Parameters.Add(PostgresValues.Text(key.Label));
        command.Parameters.Add(PostgresValues.Time(key.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, string? legacyId, CancellationToken cancellationToken)
    {
        List<ApiKey> keys;
        try
        {
            keys = await databases.Runtime.ReadAsync(
                async connection =>
                {
                    await using var command = new NpgsqlCommand(
                        "SELECT id, tenant, label, created_at, revoked_at FROM catalog.find_api_key($1)", connection);
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
                    return await ReadKeysAsync(command, secretHash, cancellationToken);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFunction && legacyId is not null)
        {
            // A catalog one version behind (before opaque key ids, served during a rollout): its lookup takes the id
            // that keys of that release carry in their token.
            await using var before = databases.Runtime.CreateCommand(
                "SELECT id, tenant, label, created_at, revoked_at FROM catalog.find_api_key($1, $2)");
            before.Parameters.Add(PostgresValues.Text(legacyId));
            before.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
            keys = await ReadKeysAsync(before, secretHash, cancellationToken);
        }

        return keys.Count == 0 ? null : keys[0];
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string tenant, CancellationToken cancellationToken)
    {
        return await databases.Runtime.ReadAsync<IReadOnlyList<ApiKey>>(
            async connection =>
            {
                await using var command = new NpgsqlCommand(SelectKeys + " WHERE tenant = $1 ORDER BY created_at", connection);
                command.Parameters.Add(PostgresValues.Text(tenant));
                return await ReadKeysAsync(command, [], cancellationToken);
            },
            cancellationToken);
    }

    public async Task<bool> RevokeApiKeyAsync(string tenant, string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = databases.Runtime.CreateCommand(
            "UPDATE catalog.api_keys SET revoked_at = $3 WHERE id = $1 AND tenant = $2 AND revoked_at IS NULL");
        command.Parameters.Add(PostgresValues.Text(id));
        command.Parameters.Add(PostgresValues.Text(tenant));
        command.Parameters.Add(PostgresValues.Time(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <param name="command">Selects id, tenant, label, created_at, revoked_at.</param>
    /// <param name="secretHash">What the keys' SecretHash says: the hash they matched, or nothing (the store never reads hashes).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    private static async Task<List<ApiKey>> ReadKeysAsync(NpgsqlCommand command, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKey(
                reader.GetString(0),
                reader.GetString(1),
                secretHash,
                reader.GetStringOrNull(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetTimeOrNull(4)));
        }

        return keys;
    }
}
