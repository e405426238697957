using LinkTracker.Core.Tenants;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// A tenant's storage is a schema and a LOGIN role of its own with rights on that schema only (ADR 12), created and
/// migrated here with the owner connection, in one transaction. Safe to run again: it also re-applies the grants, gives
/// a tenant provisioned before ADR 12 its login, and takes the tenant role away from the runtime login.
/// </summary>
public sealed class PostgresTenantProvisioner(PostgresDatabases databases) : ITenantProvisioner
{
    public async Task ProvisionAsync(string tenant, CancellationToken cancellationToken)
    {
        await ProvisionAsync(databases, tenant, cancellationToken);
    }

    /// <summary>Gives the tenant's login a new password (the old one stops working for new connections at once).</summary>
    public async Task<bool> RotateCredentialsAsync(string tenant, CancellationToken cancellationToken)
    {
        var role = databases.TenantRole(tenant);
        await using (var connection = await databases.Owner.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await PostgresMigrator.LockAsync(connection, transaction, PostgresDatabases.TenantSchema(tenant), cancellationToken);
            if (await RoleCanLoginAsync(connection, transaction, role, cancellationToken) is null)
            {
                throw new InvalidOperationException($"Tenant '{tenant}' has no PostgreSQL role ({role}) yet: run 'linktracker migrate' first.");
            }

            await PostgresTenantLogins.SetNewPasswordAsync(connection, transaction, tenant, role, databases.Protector, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        databases.TenantPools.Evict(tenant);
        return true;
    }

    internal static async Task ProvisionAsync(PostgresDatabases databases, string tenant, CancellationToken cancellationToken)
    {
        var schema = PostgresDatabases.TenantSchema(tenant);
        var role = databases.TenantRole(tenant);
        var runtimeUser = await databases.RuntimeUserAsync(cancellationToken);
        await PostgresCatalogStore.MigrateWithOwnerAsync(databases, cancellationToken); // the tenant's password goes there

        await using var connection = await databases.Owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresMigrator.LockAsync(connection, transaction, schema, cancellationToken);

        var canLogin = await RoleCanLoginAsync(connection, transaction, role, cancellationToken);
        if (canLogin is null)
        {
            await ExecuteAsync(connection, transaction, $"CREATE ROLE {Q(role)} NOLOGIN NOINHERIT", cancellationToken);
        }

        if (canLogin is not true || !await PostgresTenantLogins.HasPasswordAsync(connection, transaction, tenant, cancellationToken))
        {
            await PostgresTenantLogins.SetNewPasswordAsync(connection, transaction, tenant, role, databases.Protector, cancellationToken);
        }

        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {Q(schema)}", cancellationToken);
        await PostgresMigrator.MigrateAsync(
            connection, transaction, schema, "Tenant", PostgresDatabases.TenantDatabaseName(tenant), cancellationToken);

        await using var database = new NpgsqlCommand("SELECT current_database()", connection, transaction);
        var databaseName = (string)(await database.ExecuteScalarAsync(cancellationToken))!;

        // The tenant's login gets data rights on its own schema and nothing else: no CREATE, no DELETE but of raw
        // clicks (retention) and of segments, their runs and recipients (ADR 13), no writing its schema version.
        // TEMPORARY lets the click writer stage a batch in a temp table. The runtime login stops being a member
        // (it was before ADR 12): it could SET ROLE to any tenant.
        await ExecuteAsync(connection, transaction, $"""
            REVOKE ALL ON SCHEMA {Q(schema)} FROM PUBLIC;
            GRANT USAGE ON SCHEMA {Q(schema)} TO {Q(role)};
            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {Q(schema)} TO {Q(role)};
            REVOKE INSERT, UPDATE ON {Q(schema)}.schema_version FROM {Q(role)};
            GRANT DELETE ON {Q(schema)}.clicks TO {Q(role)};
            GRANT DELETE ON {Q(schema)}.segments, {Q(schema)}.segment_runs, {Q(schema)}.segment_pages TO {Q(role)};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {Q(schema)} TO {Q(role)};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {Q(schema)} TO {Q(role)};
            GRANT CONNECT, TEMPORARY ON DATABASE {Q(databaseName)} TO {Q(role)};
            REVOKE {Q(role)} FROM {Q(runtimeUser)};
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <returns>Null when the role does not exist, else whether it may log in.</returns>
    private static async Task<bool?> RoleCanLoginAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        return await command.ExecuteScalarAsync(cancellationToken) is bool canLogin ? canLogin : null;
    }

    private static string Q(string identifier) => PostgresNames.Quote(identifier);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
