using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Common;
using LinkTracker.Core.Links;
using LinkTracker.Core.Reports;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Tenants;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using Npgsql;

namespace LinkTracker.IntegrationTests.Contracts;

// Each test gets its own database (and role prefix) on the server the test script started, so the classes run
// in parallel although every contract calls its tenant "acme". The tenants are provisioned with the owner; the
// stores run with the runtime login alone.

public sealed class PostgresClickStoreTests : ClickStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override async Task<(ILinkStore, IClickStore, IStatsStore)> CreateAsync(string tenant)
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync(tenant, CancellationToken.None);
        var databases = _database.Runtime;
        return (new PostgresLinkStore(databases), new PostgresClickStore(databases), new PostgresStatsStore(databases));
    }

    [Fact]
    public async Task Clicks_of_several_months_go_to_monthly_partitions()
    {
        var (links, clicks, stats) = await CreateAsync("acme");
        await links.InsertAsync("acme", [new Link("a", "https://example.com/a", [], null, null, false, T0, T0)], CancellationToken.None);
        var batch = new[] { T0.AddMonths(-1), T0, T0.AddMonths(1), T0.AddMonths(1) }.Select((at, i) => NewClick("a", $"r{i}", at)).ToList();

        Assert.Equal(new ClickWriteResult(4, 0), await clicks.WriteAsync("acme", batch, CancellationToken.None));
        Assert.Equal(new ClickWriteResult(0, 4), await clicks.WriteAsync("acme", batch, CancellationToken.None));

        await using var command = _database!.Owner.CreateCommand("""
            SELECT c.relname, count(k.id) FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            LEFT JOIN t_acme.clicks k ON k.tableoid = c.oid
            WHERE i.inhparent = 't_acme.clicks'::regclass
            GROUP BY c.relname ORDER BY c.relname
            """);
        var partitions = new List<(string, long)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                partitions.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        Assert.Equal([("clicks_2026_02", 1L), ("clicks_2026_03", 1L), ("clicks_2026_04", 2L), ("clicks_default", 0L)], partitions);
        var hours = await stats.ReadHourlyAsync("acme", StatsScope.Tenant, T0.AddMonths(-2), T0.AddMonths(2), CancellationToken.None);
        Assert.Equal(4, hours.Sum(h => h.Clicks));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class PostgresReportStoreTests : ReportStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override async Task<(ILinkStore, IClickStore, IReportStore)> CreateAsync(string tenant)
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync(tenant, CancellationToken.None);
        var databases = _database.Runtime;
        return (new PostgresLinkStore(databases), new PostgresClickStore(databases), new PostgresReportStore(databases));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class PostgresSegmentStoreTests : SegmentStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override async Task<ISegmentStore> CreateAsync(string tenant)
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync(tenant, CancellationToken.None);
        return new PostgresSegmentStore(_database.Runtime);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class PostgresLinkStoreTests : LinkStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override async Task<ILinkStore> CreateAsync(string tenant)
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync(tenant, CancellationToken.None);
        return new PostgresLinkStore(_database.Runtime);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>What the schema-and-role design promises: one tenant's transaction cannot reach another tenant's tables.</summary>
public sealed class PostgresTenantIsolationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        var provisioner = new PostgresTenantProvisioner(_database.Provisioning);
        await provisioner.ProvisionAsync("alpha", CancellationToken.None);
        await provisioner.ProvisionAsync("beta-co", CancellationToken.None);
        await new PostgresLinkStore(_database.Runtime).InsertAsync(
            "beta-co", [new Link("secret", "https://example.com/beta", [], null, null, false, T0, T0)], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_tenants_transaction_is_denied_another_tenants_schema()
    {
        Assert.Equal("t_beta_co", PostgresDatabases.TenantSchema("beta-co"));

        await using (var beta = await _database.Runtime.BeginTenantAsync("beta-co", CancellationToken.None))
        await using (var own = beta.Command("SELECT count(*) FROM t_beta_co.links"))
        {
            Assert.Equal(1L, await own.ExecuteScalarAsync());
        }

        await using var alpha = await _database.Runtime.BeginTenantAsync("alpha", CancellationToken.None);
        await using var other = alpha.Command("SELECT * FROM t_beta_co.links");
        var denied = await Assert.ThrowsAsync<PostgresException>(() => other.ExecuteReaderAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task The_runtime_login_reads_no_tenant_table_outside_a_tenant_transaction()
    {
        await using var command = _database.Runtime.Runtime.CreateCommand("SELECT * FROM t_beta_co.links");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteReaderAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task A_tenant_role_cannot_create_tables_or_rewrite_its_schema_version()
    {
        foreach (var sql in (string[])["CREATE TABLE t_alpha.intruder (x int)", "UPDATE schema_version SET version = 0"])
        {
            await using var alpha = await _database.Runtime.BeginTenantAsync("alpha", CancellationToken.None);
            await using var command = alpha.Command(sql);

            var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
    }

    [Fact]
    public async Task Refuses_a_tenant_schema_newer_than_it_knows()
    {
        await using (var bump = _database.Owner.CreateCommand("UPDATE t_alpha.schema_version SET version = 999"))
        {
            await bump.ExecuteNonQueryAsync();
        }

        // A new process: nothing checked yet.
        await using var runtime = new PostgresDatabases(_database.Runtime.Runtime, owner: null, _database.Name + "_", _database.Protection);
        var tooNew = await Assert.ThrowsAsync<SchemaTooNewException>(
            () => new PostgresLinkStore(runtime).FindAsync("alpha", "x", CancellationToken.None));
        await Assert.ThrowsAsync<SchemaTooNewException>(
            () => new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync("alpha", CancellationToken.None));
        Assert.Contains("999", tooNew.Message);
    }

    [Fact]
    public async Task A_tenant_that_was_never_provisioned_is_an_error_that_says_so()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgresLinkStore(_database.Runtime).FindAsync("gamma", "x", CancellationToken.None));

        Assert.Contains("provision", error.Message);
    }

    [Fact]
    public async Task Long_slugs_that_differ_only_at_the_end_get_distinct_schemas()
    {
        var one = new string('a', 62) + "1";
        var two = new string('a', 62) + "2";
        var provisioner = new PostgresTenantProvisioner(_database.Provisioning);
        await provisioner.ProvisionAsync(one, CancellationToken.None);
        await provisioner.ProvisionAsync(two, CancellationToken.None);
        var links = new PostgresLinkStore(_database.Runtime);

        await links.InsertAsync(one, [new Link("x", "https://example.com/1", [], null, null, false, T0, T0)], CancellationToken.None);

        Assert.NotEqual(PostgresDatabases.TenantSchema(one), PostgresDatabases.TenantSchema(two));
        Assert.True(PostgresDatabases.TenantSchema(one).Length <= 63);
        Assert.NotNull(await links.FindAsync(one, "x", CancellationToken.None));
        Assert.Null(await links.FindAsync(two, "x", CancellationToken.None));
    }
}

public sealed class PostgresCatalogStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresCatalogStore(_database.Provisioning).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Stores_tenants_and_keys_with_the_runtime_login()
    {
        var catalog = new PostgresCatalogStore(_database.Runtime);
        await catalog.MigrateAsync(CancellationToken.None); // checks the version only

        Assert.True(await catalog.AddTenantAsync(new Tenant("acme", "Acme", T0), CancellationToken.None));
        Assert.False(await catalog.AddTenantAsync(new Tenant("acme", "Other", T0), CancellationToken.None));
        var key = new ApiKey("k1", "acme", [1, 2, 3], "ci", T0, null);
        await catalog.AddApiKeyAsync(key, CancellationToken.None);
        Assert.True(await catalog.RevokeApiKeyAsync("acme", "k1", T0.AddHours(1), CancellationToken.None));
        Assert.False(await catalog.RevokeApiKeyAsync("acme", "k1", T0.AddHours(2), CancellationToken.None));

        Assert.Equal([new Tenant("acme", "Acme", T0)], await catalog.ListTenantsAsync(CancellationToken.None));
        var found = await catalog.FindApiKeyAsync([1, 2, 3], legacyId: null, CancellationToken.None);
        Assert.Equal(key with { SecretHash = [], RevokedAt = T0.AddHours(1) }, found! with { SecretHash = [] });
        Assert.Equal([1, 2, 3], found.SecretHash);
        Assert.Null(await catalog.FindApiKeyAsync([1, 2, 4], legacyId: null, CancellationToken.None));
        Assert.Null(await catalog.FindApiKeyAsync([1, 2, 4], legacyId: "k1", CancellationToken.None));
        Assert.Single(await catalog.ListApiKeysAsync("acme", CancellationToken.None));
    }
}
