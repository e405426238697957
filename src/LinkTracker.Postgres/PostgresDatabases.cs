using System.Collections.Concurrent;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// One PostgreSQL database: a catalog schema, and per tenant a schema t_&lt;slug&gt; and a NOLOGIN role that owns
/// nothing and may use only that schema. Two logins: the owner (creates schemas and roles, runs migrations) and
/// the runtime login, a NOINHERIT member of every tenant role, so one pool serves every tenant while a tenant's
/// tables are reachable only inside <see cref="BeginTenantAsync(string, CancellationToken)"/> (SET LOCAL ROLE). Without an owner, this
/// process only checks schema versions. Setup, once, as a superuser (names and passwords are yours):
/// <code>
/// CREATE ROLE linktracker_owner LOGIN CREATEROLE PASSWORD '...';
/// CREATE DATABASE linktracker OWNER linktracker_owner;
/// CREATE ROLE linktracker_app LOGIN NOINHERIT PASSWORD '...';
/// </code>
/// Roles are shared by every database of the server: give each database its own role prefix.
/// </summary>
public sealed class PostgresDatabases
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _readyTenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _tenantVersions = new(StringComparer.Ordinal);
    private readonly NpgsqlDataSource? _owner;
    private string? _runtimeUser;

    /// <param name="runtime">The runtime login's pool: every store's reads and writes.</param>
    /// <param name="owner">The owner's pool, for migrations and provisioning; null on processes that must not change schemas.</param>
    /// <param name="rolePrefix">Starts every tenant role's name: lt_t_acme.</param>
    public PostgresDatabases(NpgsqlDataSource runtime, NpgsqlDataSource? owner = null, string rolePrefix = "lt_")
    {
        Runtime = runtime;
        _owner = owner;
        RolePrefix = PostgresNames.ValidRolePrefix(rolePrefix);
    }

    public NpgsqlDataSource Runtime { get; }

    public string RolePrefix { get; }

    public bool CanMigrate => _owner is not null;

    internal NpgsqlDataSource Owner => _owner ?? throw new InvalidOperationException(
        "Creating or migrating PostgreSQL schemas needs the owner connection (the role that may create schemas and roles); this process has none.");

    public static string CatalogSchema => PostgresNames.CatalogSchema;

    public static string TenantSchema(string tenant) => PostgresNames.TenantSchema(tenant);

    public string TenantRole(string tenant) => PostgresNames.TenantRole(RolePrefix, tenant);

    /// <summary>
    /// Like <see cref="BeginTenantAsync(string, CancellationToken)"/>, for a feature that a recent migration added: throws
    /// <see cref="Core.Common.SchemaTooOldException"/> while the tenant's schema is still below
    /// <paramref name="minimumVersion"/> (a tenant one version behind is served during a rollout, without that feature).
    /// </summary>
    public async Task<PostgresTenantTransaction> BeginTenantAsync(string tenant, int minimumVersion, CancellationToken cancellationToken)
    {
        var transaction = await BeginTenantAsync(tenant, cancellationToken);
        try
        {
            if (!_tenantVersions.TryGetValue(tenant, out var version) || version < minimumVersion)
            {
                // Migrated since this process first used the tenant? Look again (a rare path, one cheap read).
                await using var read = transaction.Command("SELECT version FROM schema_version");
                version = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
                _tenantVersions[tenant] = version;
                if (version < minimumVersion)
                {
                    throw new Core.Common.SchemaTooOldException(TenantDatabaseName(tenant), version, minimumVersion);
                }
            }

            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a transaction under the tenant's role and schema. On a tenant's first use in this process, provisions
    /// it when this process has the owner, else checks its schema version.
    /// </summary>
    public async Task<PostgresTenantTransaction> BeginTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var ready = _readyTenants.GetOrAdd(tenant, _ => new Lazy<Task>(() => PrepareTenantAsync(tenant)));
        try
        {
            await ready.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _readyTenants.TryRemove(new KeyValuePair<string, Lazy<Task>>(tenant, ready));
            throw;
        }

        return await BeginTenantCoreAsync(tenant, cancellationToken);
    }

    internal async Task<string> RuntimeUserAsync(CancellationToken cancellationToken)
    {
        if (_runtimeUser is null)
        {
            await using var command = Runtime.CreateCommand("SELECT session_user");
            _runtimeUser = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return _runtimeUser;
    }

    internal static string TenantDatabaseName(string tenant) => $"The schema of tenant '{tenant}' ({TenantSchema(tenant)})";

    private async Task PrepareTenantAsync(string tenant)
    {
        if (CanMigrate)
        {
            await PostgresTenantProvisioner.ProvisionAsync(this, tenant, CancellationToken.None);
            _tenantVersions[tenant] = PostgresMigrator.KnownVersion("Tenant");
            return;
        }

        await using var transaction = await BeginTenantCoreAsync(tenant, CancellationToken.None);
        await using var command = transaction.Command("SELECT version FROM schema_version");
        int version;
        try
        {
            version = (int)(await command.ExecuteScalarAsync(CancellationToken.None))!;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
        {
            throw NotProvisioned(tenant, e);
        }

        _tenantVersions[tenant] = PostgresMigrator.CheckVersion(version, "Tenant", TenantDatabaseName(tenant));
    }

    private async Task<PostgresTenantTransaction> BeginTenantCoreAsync(string tenant, CancellationToken cancellationToken)
    {
        var schema = TenantSchema(tenant);
        var role = TenantRole(tenant);
        var connection = await Runtime.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // SET LOCAL ends with the transaction, so a pooled connection never keeps a tenant's role.
            await using var set = new NpgsqlCommand(
                $"SET LOCAL ROLE {PostgresNames.Quote(role)}; SET LOCAL search_path = {PostgresNames.Quote(schema)}, pg_temp",
                connection,
                transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresTenantTransaction(connection, transaction);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidParameterValue or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.InsufficientPrivilege)
        {
            await connection.DisposeAsync();
            throw NotProvisioned(tenant, e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private InvalidOperationException NotProvisioned(string tenant, Exception inner) => new(
        $"Tenant '{tenant}' has no PostgreSQL schema or role ({TenantSchema(tenant)}, {TenantRole(tenant)}) that the runtime login may use: "
        + "provision the tenant with the owner connection first.",
        inner);
}
