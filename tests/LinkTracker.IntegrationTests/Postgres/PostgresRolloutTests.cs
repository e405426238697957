using System.Net;
using System.Security.Cryptography;
using LinkTracker.Core.Common;
using LinkTracker.Core.Segments;
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
        // Segments came with an earlier migration: still served.
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/segments")).StatusCode);
        var feature = await Assert.ThrowsAsync<SchemaTooOldException>(
            () => _database.Runtime.BeginTenantAsync("acme", _current, CancellationToken.None));
        Assert.Contains("linktracker migrate", feature.Message, StringComparison.Ordinal);

        await SetVersionAsync(_current); // migrated while the process runs: the feature is there at once
        await (await _database.Runtime.BeginTenantAsync("acme", _current, CancellationToken.None)).DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_below_segment_pages_keeps_its_segments_and_is_told_to_migrate_for_runs()
    {
        // The schema as the release before 0012_segment_pages left it (this build's newest tenant migration).
        await ExecuteAsync($$"""
            {{BeforeSegmentPages}}
            """);
        await SetVersionAsync(_current - 1);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);

        Assert.Equal(HttpStatusCode.Found, (await service.Client("acme").GetAsync("/a?r=ann")).StatusCode);
        var created = await acme.PostRawAsync("/api/segments", """{"name": "clicked a", "filter": {"clicked": {"link": "a"}}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.ReadJsonAsync())["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.PostRawAsync("/api/segments/preview", """{"filter": {"clicked": {"link": "a"}}}""")).StatusCode);

        // A run stores pages: refused before it is queued, naming the fix.
        var run = await acme.PostRawAsync($"/api/segments/{id}/runs", "{}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, run.StatusCode);
        Assert.Contains("linktracker migrate", (string)(await run.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_queued_before_the_segment_pages_rollout_ends_failed_and_its_segment_can_be_deleted()
    {
        await ExecuteAsync($$"""
            {{BeforeSegmentPages}}
            INSERT INTO t_acme.segments (id, name, filter, created_at, updated_at) VALUES ('seg_0000000000000001', 's', '{}', now(), now());
            INSERT INTO t_acme.segment_runs (id, segment_id, filter, state, requested_at) VALUES ('run_0000000000000001', 'seg_0000000000000001', '{}', 'queued', now());
            INSERT INTO t_acme.segment_recipients VALUES ('run_0000000000000000', 'ann');
            INSERT INTO t_acme.segment_runs (id, segment_id, filter, state, requested_at) VALUES ('run_0000000000000000', 'seg_0000000000000001', '{}', 'completed', now());
            """);
        await SetVersionAsync(_current - 1);
        var store = new PostgresSegmentStore(_database.Runtime);
        var now = DateTimeOffset.UtcNow;

        // What the worker does with it: starting works, storing needs the pages, ending it must not.
        var run = await store.StartNextRunAsync("acme", now, now.AddMinutes(1), CancellationToken.None);
        Assert.NotNull(run);
        var query = new SegmentQuery("SELECT 'ann' AS recipient", new Dictionary<string, object>(), [], "test");
        await Assert.ThrowsAsync<SchemaTooOldException>(() => store.StoreRecipientsAsync("acme", run.Id, query, new SegmentRunLimits(TimeSpan.FromSeconds(5), 64), CancellationToken.None));
        await store.FinishRunAsync("acme", run with { State = SegmentRunState.Failed, FinishedAt = now, Error = "migrate" }, CancellationToken.None);

        Assert.Equal(SegmentRunState.Failed, (await store.GetRunAsync("acme", "seg_0000000000000001", run.Id, CancellationToken.None))!.State);
        Assert.True(await store.DeleteAsync("acme", "seg_0000000000000001", CancellationToken.None));
        await using var left = _database.Owner.CreateCommand("SELECT (SELECT count(*) FROM t_acme.segment_recipients) + (SELECT count(*) FROM t_acme.segment_runs)");
        Assert.Equal(0L, await left.ExecuteScalarAsync());
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
    public async Task A_catalog_one_version_behind_without_the_write_budget_is_served_and_its_writer_keeps_its_own_cap()
    {
        await ExecuteAsync("DROP TABLE catalog.write_budget; UPDATE catalog.schema_version SET version = version - 1;");
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", _key);

        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links/a")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await service.Client("acme").GetAsync("/a?r=ann")).StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        await using var count = _database.Owner.CreateCommand("SELECT count(*) FROM t_acme.clicks");
        while ((long)(await count.ExecuteScalarAsync())! < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the click was not stored within 30 s with the catalog one version behind");
            await Task.Delay(200);
        }

        // The shared budget cannot be read on this catalog: the operator sees it as unknown, not as zero.
        using var ops = service.OpsClient();
        var budget = (await (await ops.GetAsync("/ops/writer")).ReadJsonAsync())["budget"]!;
        Assert.Equal(("database", null), ((string)budget["scope"]!, (int?)budget["usedLastSecond"]));
    }

    [Fact]
    public async Task A_catalog_from_before_opaque_key_ids_is_refused_until_migrate_gives_its_keys_opaque_ids()
    {
        // What the release before opaque key ids left: catalog version 2, ids cut from the tokens, a lookup by id and hash.
        var runtime = new NpgsqlConnectionStringBuilder(_database.RuntimeConnectionString).Username!;
        var secret = RandomNumberGenerator.GetBytes(32);
        var legacyToken = "lt_0011223344556677" + Convert.ToHexStringLower(secret);
        await ExecuteAsync($"""
            DROP TABLE catalog.write_budget;
            DROP FUNCTION catalog.find_api_key(bytea);
            DROP INDEX catalog.api_keys_secret_hash;
            CREATE FUNCTION catalog.find_api_key(key_id text, key_hash bytea)
            RETURNS TABLE (id text, tenant text, label text, created_at timestamptz, revoked_at timestamptz)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$ SELECT k.id, k.tenant, k.label, k.created_at, k.revoked_at FROM catalog.api_keys k
                  WHERE k.id = key_id AND k.secret_hash = key_hash $$;
            REVOKE ALL ON FUNCTION catalog.find_api_key(text, bytea) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION catalog.find_api_key(text, bytea) TO {runtime};
            INSERT INTO catalog.api_keys (id, tenant, secret_hash, label, created_at)
                VALUES ('0011223344556677', 'acme', '\x{Convert.ToHexStringLower(SHA256.HashData(secret))}', 'old', now());
            UPDATE catalog.schema_version SET version = 2;
            """);

        // Two versions behind this build: a serving process without the owner login refuses, naming the fix.
        var refused = await Assert.ThrowsAsync<SchemaTooOldException>(
            () => new LinkTracker.Postgres.PostgresCatalogStore(_database.Runtime).MigrateAsync(CancellationToken.None));
        Assert.Contains("linktracker migrate", refused.Message, StringComparison.Ordinal);

        await using var migrated = await TestService.StartAsync(_database.ServiceSettings()); // the owner migrates the catalog
        using var afterMigrate = migrated.Client("acme", legacyToken);
        Assert.Equal(HttpStatusCode.OK, (await afterMigrate.GetAsync("/api/links/a")).StatusCode);
        using var current = migrated.Client("acme", _key);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/api/links/a")).StatusCode);
        await using var ids = _database.Owner.CreateCommand("SELECT count(*) FROM catalog.api_keys WHERE id !~ '^key_[0-9a-f]{16}$'");
        Assert.Equal(0L, await ids.ExecuteScalarAsync());
        await using var budget = _database.Owner.CreateCommand("SELECT count(*) FROM catalog.write_budget");
        Assert.Equal(1L, await budget.ExecuteScalarAsync());
    }

    /// <summary>The tenant's recipients table as it was before 0012_segment_pages, with the tenant role's rights on it.</summary>
    private const string BeforeSegmentPages = """
        DROP TABLE t_acme.segment_pages;
        CREATE TABLE t_acme.segment_recipients (run_id text NOT NULL, recipient text COLLATE "C" NOT NULL, PRIMARY KEY (run_id, recipient));
        DO $$
        DECLARE tenant_role text := (SELECT grantee FROM information_schema.role_table_grants
            WHERE table_schema = 't_acme' AND table_name = 'segment_runs' AND privilege_type = 'DELETE'
              AND grantee <> (SELECT tableowner FROM pg_tables WHERE schemaname = 't_acme' AND tablename = 'segment_runs'));
        BEGIN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON t_acme.segment_recipients TO %I', tenant_role);
        END $$;
        """;

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
