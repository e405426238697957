using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>
/// ADR 12's promise on a real server: whatever statement runs in a session the service opened for tenant alpha, it
/// cannot read or write tenant beta's data or the catalog's secrets, nor become beta. Each statement runs in a
/// transaction opened exactly as the stores open theirs (<see cref="PostgresDatabases.BeginTenantAsync(string, CancellationToken)"/>).
/// </summary>
public sealed class PostgresHostileSqlTests : IAsyncLifetime
{
    private const string Alpha = "alpha";
    private const string Beta = "beta-co";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private PostgresTestDatabase _database = null!;

    private string AlphaLogin => _database.RolePrefix + "t_alpha";

    private string BetaLogin => _database.RolePrefix + "t_beta_co";

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        var provisioner = new PostgresTenantProvisioner(_database.Provisioning);
        var catalog = new PostgresCatalogStore(_database.Runtime);
        foreach (var tenant in (string[])[Alpha, Beta])
        {
            await provisioner.ProvisionAsync(tenant, CancellationToken.None);
            await catalog.AddTenantAsync(new Tenant(tenant, tenant, T0), CancellationToken.None);
            var (id, _, hash) = ApiKeys.Generate();
            await catalog.AddApiKeyAsync(new ApiKey(id, tenant, hash, null, T0, null), CancellationToken.None);
        }

        await new PostgresLinkStore(_database.Runtime).InsertAsync(
            Beta, [new Link("secret", "https://example.com/beta", [], null, null, false, T0, T0)], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("SET ROLE {beta}")]
    [InlineData("SET SESSION AUTHORIZATION {beta}")]
    [InlineData("SELECT * FROM t_beta_co.links")]
    [InlineData("INSERT INTO t_beta_co.links (code, destination, created_at, updated_at) VALUES ('x', 'https://evil.example', now(), now())")]
    [InlineData("SELECT * FROM catalog.api_keys")]
    [InlineData("SELECT * FROM catalog.tenant_logins")]
    [InlineData("SELECT * FROM catalog.tenants")]
    [InlineData("UPDATE catalog.api_keys SET revoked_at = NULL")]
    [InlineData("SELECT * FROM catalog.find_api_key('x', '\\x00'::bytea)")]
    [InlineData("SELECT rolpassword FROM pg_authid")]
    [InlineData("CREATE FUNCTION steal() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE FUNCTION public.steal() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE FUNCTION t_beta_co.steal() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE TABLE public.loot (x text)")]
    [InlineData("CREATE SCHEMA loot")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'id'")]
    [InlineData("COPY t_alpha.links TO '/tmp/loot'")]
    [InlineData("SELECT pg_read_file('/etc/passwd')")]
    [InlineData("SELECT lo_import('/etc/passwd')")]
    [InlineData("CREATE EXTENSION dblink")]
    [InlineData("CREATE EXTENSION postgres_fdw")]
    [InlineData("CREATE ROLE loot LOGIN PASSWORD 'x'")]
    [InlineData("ALTER ROLE {beta} PASSWORD 'x'")]
    [InlineData("GRANT {beta} TO {alpha}")]
    public async Task A_statement_in_a_tenants_session_is_refused_anything_of_another_tenant_or_the_catalog(string statement)
    {
        var sql = statement.Replace("{beta}", PostgresNames(BetaLogin)).Replace("{alpha}", PostgresNames(AlphaLogin));
        await using var alpha = await _database.Runtime.BeginTenantAsync(Alpha, CancellationToken.None);
        await using var command = alpha.Command(sql);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
    }

    [Fact]
    public async Task Reset_role_leaves_the_session_with_its_own_login_and_its_own_schema_only()
    {
        await using var alpha = await _database.Runtime.BeginTenantAsync(Alpha, CancellationToken.None);
        await using (var reset = alpha.Command("RESET ROLE; RESET SESSION AUTHORIZATION; SELECT current_user, session_user, count(*) FROM links"))
        await using (var reader = await reset.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((AlphaLogin, AlphaLogin, 0L), (reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        await using var other = alpha.Command("SELECT * FROM t_beta_co.links");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => other.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_runtime_login_is_no_tenant_and_reads_no_key_hash()
    {
        foreach (var sql in (string[])[$"SET ROLE {PostgresNames(BetaLogin)}", "SELECT * FROM t_beta_co.links", "SELECT secret_hash FROM catalog.api_keys", "SELECT * FROM catalog.api_keys"])
        {
            await using var command = _database.Runtime.Runtime.CreateCommand(sql);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
        }

        await using var members = _database.Owner.CreateCommand(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1) AND starts_with(r.rolname, $2)");
        members.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new NpgsqlConnectionStringBuilder(_database.RuntimeConnectionString).Username! });
        members.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _database.RolePrefix });
        Assert.Equal(0L, await members.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_catalog_keeps_tenant_passwords_encrypted_and_one_tenants_password_does_not_log_in_as_another()
    {
        var alphaPassword = await PasswordAsync(Alpha);

        await using (var own = new NpgsqlConnection(Login(AlphaLogin, alphaPassword)))
        {
            await own.OpenAsync();
            // Outside a transaction (the service never runs one there), for what cannot run inside.
            await using var database = new NpgsqlCommand("CREATE DATABASE loot", own);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteNonQueryAsync())).SqlState);
        }

        await using var asBeta = new NpgsqlConnection(Login(BetaLogin, alphaPassword));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => asBeta.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        await using var stored = _database.Owner.CreateCommand("SELECT password FROM catalog.tenant_logins WHERE tenant = 'alpha'");
        Assert.DoesNotContain(alphaPassword, (string)(await stored.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pooled_connection_serves_one_tenant_only()
    {
        var alphaSessions = new HashSet<int>();
        var betaSessions = new HashSet<int>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var (tenant, login, sessions) in new[] { (Alpha, AlphaLogin, alphaSessions), (Beta, BetaLogin, betaSessions) })
            {
                // Two at once, so each pool holds more than one connection to hand out.
                await using var one = await _database.Runtime.BeginTenantAsync(tenant, CancellationToken.None);
                await using var two = await _database.Runtime.BeginTenantAsync(tenant, CancellationToken.None);
                foreach (var transaction in new[] { one, two })
                {
                    await using var who = transaction.Command("SELECT pg_backend_pid(), session_user");
                    await using var reader = await who.ExecuteReaderAsync();
                    await reader.ReadAsync();
                    Assert.Equal(login, reader.GetString(1));
                    sessions.Add(reader.GetInt32(0));
                }
            }
        }

        Assert.Empty(alphaSessions.Intersect(betaSessions));
        Assert.Equal(2, alphaSessions.Count); // the same two connections, reused round after round
        Assert.Equal(2, betaSessions.Count);
        Assert.Equal(0, _database.Runtime.TenantPools.InUse);
    }

    [Fact]
    public async Task Rotating_a_tenants_password_stops_the_old_one_and_a_running_service_picks_up_the_new_one()
    {
        await (await _database.Runtime.BeginTenantAsync(Alpha, CancellationToken.None)).DisposeAsync(); // a pool from before
        var before = await PasswordAsync(Alpha);

        Assert.True(await new PostgresTenantProvisioner(_database.Provisioning).RotateCredentialsAsync(Alpha, CancellationToken.None));

        var after = await PasswordAsync(Alpha);
        Assert.NotEqual(before, after);
        await using (var old = new NpgsqlConnection(Login(AlphaLogin, before)))
        {
            Assert.Equal(PostgresErrorCodes.InvalidPassword, (await Assert.ThrowsAsync<PostgresException>(() => old.OpenAsync())).SqlState);
        }

        // The other "process" still pools the old password: new connections must read the new one by themselves.
        var open = new List<PostgresTenantTransaction>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await _database.Runtime.BeginTenantAsync(Alpha, CancellationToken.None));
        }

        foreach (var transaction in open)
        {
            await transaction.DisposeAsync();
        }

        Assert.Equal(2, _database.Runtime.TenantPools.OpenPools);
    }

    [Fact]
    public async Task A_tenant_that_changes_its_own_password_locks_only_itself_out_until_its_credentials_are_rotated()
    {
        await using (var alpha = await _database.Runtime.BeginTenantAsync(Alpha, CancellationToken.None))
        await using (var change = alpha.Command("ALTER ROLE CURRENT_USER PASSWORD 'mine'"))
        {
            // PostgreSQL lets any role change its own password (ADR 12, what a tenant session can still do).
            await change.ExecuteNonQueryAsync();
            await alpha.CommitAsync(CancellationToken.None);
        }

        await using var process = new PostgresDatabases(_database.Runtime.Runtime, owner: null, _database.RolePrefix, _database.Protection);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => process.BeginTenantAsync(Alpha, CancellationToken.None));
        Assert.Contains("tenants rotate-credentials alpha", refused.Message, StringComparison.Ordinal);
        await (await process.BeginTenantAsync(Beta, CancellationToken.None)).DisposeAsync();

        await new PostgresTenantProvisioner(_database.Provisioning).RotateCredentialsAsync(Alpha, CancellationToken.None);

        await using var repaired = await process.BeginTenantAsync(Alpha, CancellationToken.None);
        await using var who = repaired.Command("SELECT session_user");
        Assert.Equal(AlphaLogin, await who.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Tenant_connections_in_use_are_bounded_across_tenants_and_idle_pools_are_closed()
    {
        await using var databases = new PostgresDatabases(
            _database.Runtime.Runtime, owner: null, _database.RolePrefix, _database.Protection, maxTenantConnections: 2, tenantPoolIdleTime: TimeSpan.FromSeconds(5));
        var alpha = await databases.BeginTenantAsync(Alpha, CancellationToken.None);
        var beta = await databases.BeginTenantAsync(Beta, CancellationToken.None);
        Assert.Equal(2, databases.TenantPools.InUse);

        using (var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            // A third connection, of either tenant, waits for a free slot.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => databases.BeginTenantAsync(Alpha, wait.Token));
        }

        await beta.DisposeAsync();
        await (await databases.BeginTenantAsync(Alpha, CancellationToken.None)).DisposeAsync();
        await alpha.DisposeAsync();
        Assert.Equal(0, databases.TenantPools.InUse);
        Assert.Equal(2, databases.TenantPools.OpenPools);

        // Idle time 5 s: long enough that a busy machine does not close beta's pool before the count above.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (databases.TenantPools.OpenPools > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{databases.TenantPools.OpenPools} pools still open after 20 s unused");
            await Task.Delay(50);
        }

        await (await databases.BeginTenantAsync(Beta, CancellationToken.None)).DisposeAsync(); // opens again when needed
    }

    [Fact]
    public async Task A_full_server_gets_other_tenants_idle_connections_back_and_the_next_tenant_still_connects()
    {
        await using var databases = new PostgresDatabases(_database.Runtime.Runtime, owner: null, _database.RolePrefix, _database.Protection, maxTenantConnections: 8);
        // Alpha's pool keeps three idle connections after a busy moment (a minute, by Npgsql's idle lifetime).
        var busy = new List<PostgresTenantTransaction>();
        for (var i = 0; i < 3; i++)
        {
            busy.Add(await databases.BeginTenantAsync(Alpha, CancellationToken.None));
        }

        foreach (var transaction in busy)
        {
            await transaction.DisposeAsync();
        }

        // The server takes no more connections to this database (the limit counts every backend but superusers').
        await using var admin = new NpgsqlConnection(PostgresTestDatabase.ServerConnectionString);
        await admin.OpenAsync();
        await using (var full = new NpgsqlCommand(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{_database.Name}' AND usename <> current_user", admin))
        {
            var connected = (long)(await full.ExecuteScalarAsync())!;
            await new NpgsqlCommand($"ALTER DATABASE \"{_database.Name}\" CONNECTION LIMIT {connected}", admin).ExecuteNonQueryAsync();
        }

        try
        {
            await using var beta = await databases.BeginTenantAsync(Beta, CancellationToken.None);
            await using var read = beta.Command("SELECT count(*) FROM links");
            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }
        finally
        {
            await new NpgsqlCommand($"ALTER DATABASE \"{_database.Name}\" CONNECTION LIMIT -1", admin).ExecuteNonQueryAsync();
        }
    }

    private static string PostgresNames(string role) => "\"" + role + "\"";

    private string Login(string user, string password) =>
        new NpgsqlConnectionStringBuilder(_database.RuntimeConnectionString) { Username = user, Password = password, Pooling = false }.ConnectionString;

    private async Task<string> PasswordAsync(string tenant)
    {
        await using var read = _database.Runtime.Runtime.CreateCommand("SELECT password FROM catalog.tenant_logins WHERE tenant = $1");
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        var stored = (string)(await read.ExecuteScalarAsync())!;
        return _database.Protection.CreateProtector("LinkTracker.Postgres.TenantLogin.v1").Unprotect(stored);
    }
}
