using LinkTracker.Core.Tenants;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// A tenant's storage is a schema and a NOLOGIN role with rights on that schema only, created and migrated here
/// with the owner connection, in one transaction. Safe to run again: it also re-applies the grants.
/// </summary>
public sealed class PostgresTenantProvisioner(PostgresDatabases databases) : ITenantProvisioner
{
    public async Task ProvisionAsync(string tenant, CancellationToken cancellationToken)
    {
        await ProvisionAsync(databases, tenant, cancellationToken);
    }

    internal static async Task ProvisionAsync(PostgresDatabases databases, string tenant, CancellationToken cancellationToken)
    {
        var schema = PostgresDatabases.TenantSchema(tenant);
        var role = databases.TenantRole(tenant);
        var runtimeUser = await databases.RuntimeUserAsync(cancellationToken);

        await using var connection = await databases.Owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresMigrator.LockAsync(connection, transaction, schema, cancellationToken);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await ExecuteAsync(connection, transaction, $"CREATE ROLE {Q(role)} NOLOGIN", cancellationToken);
            }
        }

        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {Q(schema)}", cancellationToken);
        await PostgresMigrator.MigrateAsync(
            connection, transaction, schema, "Tenant", PostgresDatabases.TenantDatabaseName(tenant), cancellationToken);

        await using var database = new NpgsqlCommand("SELECT current_database()", connection, transaction);
        var databaseName = (string)(await database.ExecuteScalarAsync(cancellationToken))!;

        // The tenant's role gets data rights on its own schema and nothing else: no CREATE, no DELETE but of raw
        // clicks (retention), no writing its schema version. TEMPORARY lets the click writer stage a batch in a temp table.
        await ExecuteAsync(connection, transaction, $"""
            REVOKE ALL ON SCHEMA {Q(schema)} FROM PUBLIC;
            GRANT USAGE ON SCHEMA {Q(schema)} TO {Q(role)};
            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {Q(schema)} TO {Q(role)};
            REVOKE INSERT, UPDATE ON {Q(schema)}.schema_version FROM {Q(role)};
            GRANT DELETE ON {Q(schema)}.clicks TO {Q(role)};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {Q(schema)} TO {Q(role)};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {Q(schema)} TO {Q(role)};
            GRANT TEMPORARY ON DATABASE {Q(databaseName)} TO {Q(role)};
            GRANT {Q(role)} TO {Q(runtimeUser)};
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Q(string identifier) => PostgresNames.Quote(identifier);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
