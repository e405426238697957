using System.Net;
using LinkTracker.Core.Common;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using Npgsql;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>
/// The rollout rule: a serving process (no owner login) works with a tenant schema at its version or one behind,
/// and refuses, with a message naming the fix, one that is older still or newer than it knows.
/// </summary>
public sealed class PostgresRolloutTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private string _key = null!;
    private int _current;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await using var owner = await TestService.StartAsync(_database.ServiceSettings());
        _key = await owner.AddTenantAsync("acme");
        using var acme = owner.Client("acme", _key);
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        await using var read = _database.Owner.CreateCommand("SELECT version FROM t_acme.schema_version");
        _current = (int)(await read.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_tenant_one_version_behind_is_served_and_a_feature_needing_the_newest_says_to_migrate()
    {
        await SetVersionAsync(_current - 1);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);

        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links/a")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await service.Client("acme").GetAsync("/a?r=ann")).StatusCode);
        var reports = await acme.GetAsync("/api/reports"); // reports came with the newest tenant migration
        Assert.Equal(HttpStatusCode.ServiceUnavailable, reports.StatusCode);
        Assert.Contains("linktracker migrate", (string)(await reports.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
        var feature = await Assert.ThrowsAsync<SchemaTooOldException>(
            () => _database.Runtime.BeginTenantAsync("acme", _current, CancellationToken.None));
        Assert.Contains("linktracker migrate", feature.Message, StringComparison.Ordinal);

        await SetVersionAsync(_current); // migrated while the process runs: the feature is there at once
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/reports")).StatusCode);
        await (await _database.Runtime.BeginTenantAsync("acme", _current, CancellationToken.None)).DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_two_versions_behind_gets_503_saying_to_migrate()
    {
        await SetVersionAsync(_current - 2);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);

        var response = await acme.GetAsync("/api/links/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("Database not migrated yet", (string)problem["title"]!);
        Assert.Contains("linktracker migrate", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_newer_than_the_service_gets_503_saying_to_upgrade()
    {
        await SetVersionAsync(_current + 1);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);

        var response = await acme.GetAsync("/api/links/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Upgrade LinkTracker", (string)(await response.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catalog_and_tenant_from_before_tenant_logins_are_served_until_migrate_gives_the_tenant_its_login()
    {
        // What a release before ADR 12 left: catalog version 1, a NOLOGIN tenant role the runtime login is a member of.
        var role = _database.RolePrefix + "t_acme";
        var runtime = new NpgsqlConnectionStringBuilder(_database.RuntimeConnectionString).Username!;
        await ExecuteAsync($"""
            DROP FUNCTION catalog.find_api_key(text, bytea);
            DROP TABLE catalog.tenant_logins;
            UPDATE catalog.schema_version SET version = 1;
            GRANT SELECT ON catalog.api_keys TO {runtime};
            ALTER ROLE "{role}" NOLOGIN;
            GRANT "{role}" TO {runtime};
            """);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links/a")).StatusCode);

        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync("acme", CancellationToken.None); // linktracker migrate

        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links/a")).StatusCode);
        using var wrongKey = service.Client("acme", _key[..^1] + (_key[^1] == '0' ? '1' : '0'));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/links/a")).StatusCode);
        await using var member = _database.Owner.CreateCommand($"SELECT pg_has_role('{runtime}', '{role}', 'MEMBER')");
        Assert.Equal(false, await member.ExecuteScalarAsync());
        await using (var transaction = await _database.Runtime.BeginTenantAsync("acme", CancellationToken.None))
        await using (var who = transaction.Command("SELECT session_user"))
        {
            Assert.Equal(role, await who.ExecuteScalarAsync());
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.Owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task SetVersionAsync(int version)
    {
        await using var update = _database.Owner.CreateCommand($"UPDATE t_acme.schema_version SET version = {version}");
        await update.ExecuteNonQueryAsync();
    }
}
