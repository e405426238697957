using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// One PostgreSQL database: a catalog schema, and per tenant a schema t_&lt;slug&gt; and a LOGIN role of its own with
/// rights on that schema only (ADR 12). Three kinds of login: the owner (creates schemas and tenant logins, runs
/// migrations), the runtime login (the catalog only, member of no tenant role) and each tenant's login, whose
/// password the catalog keeps encrypted with Data Protection; a tenant's transactions run on that tenant's own pool
/// (<see cref="PostgresTenantPools"/>), so no statement in them can reach another tenant. Without an owner, this
/// process only checks schema versions. Setup, once, as a superuser (names and passwords are yours):
/// <code>
/// CREATE ROLE linktracker_owner LOGIN CREATEROLE PASSWORD '...';
/// CREATE DATABASE linktracker OWNER linktracker_owner;
/// CREATE ROLE linktracker_app LOGIN NOINHERIT PASSWORD '...';
/// </code>
/// Roles are shared by every database of the server: give each database its own role prefix.
/// </summary>
public sealed class PostgresDatabases : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _readyTenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _tenantVersions = new(StringComparer.Ordinal);
    private readonly NpgsqlDataSource? _owner;
    private string? _runtimeUser;

    /// <param name="runtime">The runtime login's pool: the catalog.</param>
    /// <param name="owner">The owner's pool, for migrations and provisioning; null on processes that must not change schemas.</param>
    /// <param name="rolePrefix">Starts every tenant role's name: lt_t_acme.</param>
    /// <param name="protection">Encrypts and decrypts the tenants' passwords (Data Protection, purpose <c>LinkTracker.Postgres.TenantLogin.v1</c>).</param>
    /// <param name="maxTenantConnections">Tenant connections in use at once, across all tenants.</param>
    /// <param name="tenantPoolIdleTime">A tenant's pool is closed after this long unused (default 5 minutes).</param>
    public PostgresDatabases(
        NpgsqlDataSource runtime,
        NpgsqlDataSource? owner,
        string rolePrefix,
        IDataProtectionProvider protection,
        int maxTenantConnections = 64,
        TimeSpan? tenantPoolIdleTime = null)
    {
        Runtime = runtime;
        _owner = owner;
        RolePrefix = PostgresNames.ValidRolePrefix(rolePrefix);
        Protector = protection.CreateProtector(PostgresTenantLogins.ProtectorPurpose);
        TenantPools = new PostgresTenantPools(runtime, Protector, TenantRole, maxTenantConnections, tenantPoolIdleTime ?? TimeSpan.FromMinutes(5));
    }

    public NpgsqlDataSource Runtime { get; }

    /// <summary>One pool per tenant, each logged in as that tenant.</summary>
    public PostgresTenantPools TenantPools { get; }

    internal IDataProtector Protector { get; }

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
            if (await TenantVersionAsync(transaction, tenant, minimumVersion, cancellationToken) is var version && version < minimumVersion)
            {
                throw new Core.Common.SchemaTooOldException(TenantDatabaseName(tenant), version, minimumVersion);
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
    /// Whether the tenant's schema has what migration <paramref name="version"/> added, for a store that reads around a
    /// column one migration added (a tenant one version behind is served during a rollout, without it).
    /// </summary>
    public async Task<bool> HasVersionAsync(PostgresTenantTransaction transaction, string tenant, int version, CancellationToken cancellationToken) =>
        await TenantVersionAsync(transaction, tenant, version, cancellationToken) >= version;

    private async Task<int> TenantVersionAsync(PostgresTenantTransaction transaction, string tenant, int wanted, CancellationToken cancellationToken)
    {
        if (_tenantVersions.TryGetValue(tenant, out var version) && version >= wanted)
        {
            return version;
        }

        // Migrated since this process first used the tenant? Look again (a rare path, one cheap read).
        await using var read = transaction.Command("SELECT version FROM schema_version");
        version = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
        _tenantVersions[tenant] = version;
        return version;
    }

    /// <summary>
    /// Opens a transaction with the tenant's own login, on its schema. On a tenant's first use in this process, provisions
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
            _runtimeUser = await Runtime.ReadAsync(
                async connection =>
                {
                    await using var command = new NpgsqlCommand("SELECT session_user", connection);
                    return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
                },
                cancellationToken);
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

    public ValueTask DisposeAsync() => TenantPools.DisposeAsync();

    private async Task<PostgresTenantTransaction> BeginTenantCoreAsync(string tenant, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await TryBeginTenantAsync(tenant, retryDropped: attempt == 0, cancellationToken) is { } transaction)
            {
                return transaction;
            }
        }
    }

    /// <returns>The transaction; null when the pooled connection turned out dead and <paramref name="retryDropped"/> (the pool was cleared).</returns>
    private async Task<PostgresTenantTransaction?> TryBeginTenantAsync(
        string tenant, bool retryDropped, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        IDisposable lease;
        try
        {
            // The tenant's own login, its schema first on the search_path (a startup parameter of its pool).
            (connection, lease) = await TenantPools.OpenAsync(tenant, cancellationToken);
        }
        catch (PostgresTenantPools.TenantLoginMissingException e)
        {
            return await BeginBeforeMigrationAsync(tenant, e, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            // Read again after the first refusal: the role's password is not the catalog's (changed by hand, or by the tenant's own SQL).
            throw new InvalidOperationException(
                $"The PostgreSQL login of tenant '{tenant}' ({TenantRole(tenant)}) refuses the password the catalog holds ({e.SqlState}): "
                + $"set a new one with 'linktracker tenants rotate-credentials {tenant}' (owner login).",
                e);
        }

        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // One round trip now (BEGIN is sent with the first statement): a connection that died in the pool is
            // found here, where it can be replaced, and not in the caller's first statement. A SET takes no snapshot,
            // so the caller may still choose the isolation level; the search path is the pool's already.
            await using (var begin = new NpgsqlCommand(
                $"SET LOCAL search_path = {PostgresNames.Quote(TenantSchema(tenant))}, pg_temp", connection, transaction))
            {
                await begin.ExecuteNonQueryAsync(cancellationToken);
            }

            return new PostgresTenantTransaction(connection, transaction, lease);
        }
        catch (NpgsqlException) when (retryDropped && connection.State is System.Data.ConnectionState.Broken or System.Data.ConnectionState.Closed)
        {
            // The server dropped the pooled connections (a restart): clear the idle ones, the next are new. A crash
            // restart may first have queued its farewell (57P01/57P02, a PostgresException) on the socket: the same case.
            NpgsqlConnection.ClearPool(connection);
            await connection.DisposeAsync();
            lease.Dispose();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The rollout rule for a tenant provisioned before ADR 12 (no login of its own until 'linktracker migrate'): the
    /// old way, SET LOCAL ROLE on the runtime login, which works only while migrate has not yet revoked the runtime
    /// login's membership in the tenant role — and migrate gives the tenant its login in the same transaction.
    /// </summary>
    private async Task<PostgresTenantTransaction> BeginBeforeMigrationAsync(string tenant, Exception missing, CancellationToken cancellationToken)
    {
        var connection = await Runtime.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var set = new NpgsqlCommand(
                $"SET LOCAL ROLE {PostgresNames.Quote(TenantRole(tenant))}; SET LOCAL search_path = {PostgresNames.Quote(TenantSchema(tenant))}, pg_temp",
                connection,
                transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresTenantTransaction(connection, transaction);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidParameterValue or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.InsufficientPrivilege)
        {
            await connection.DisposeAsync();
            throw NotProvisioned(tenant, new AggregateException(missing, e));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private InvalidOperationException NotProvisioned(string tenant, Exception inner) => new(
        $"Tenant '{tenant}' has no PostgreSQL schema or login ({TenantSchema(tenant)}, {TenantRole(tenant)}) that this service may use: "
        + "provision the tenant with the owner connection first ('linktracker migrate').",
        inner);
}
