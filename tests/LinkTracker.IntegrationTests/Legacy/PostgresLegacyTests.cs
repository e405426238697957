using System.Net;
using System.Net.Http.Json;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Legacy;

/// <summary>The strangler with Storage:Engine=Postgres: settings, learn-through into the tenant's schema, negative cache, the migration view.</summary>
public sealed class PostgresLegacyTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private TestService _service = null!;
    private LegacyServer _legacy = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _service = await TestService.StartAsync([.. _database.ServiceSettings(), "Legacy:AllowPrivateTargets=true"]);
        _legacy = await LegacyServer.StartAsync();
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        await _legacy.DisposeAsync();
        await _service.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_code_answered_by_legacy_is_learned_into_the_tenants_schema_and_answered_here_after_legacy_is_gone()
    {
        (await _acme.PutAsJsonAsync("/api/settings", new { legacyBaseUrl = _legacy.Url })).EnsureSuccessStatusCode();

        var first = await _acme.GetAsync("/f1?r=alice");
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await _acme.GetAsync("/p1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync("/n1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync("/n1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await _acme.GetAsync("/e1")).StatusCode);
        await _legacy.StopAsync();
        var second = await _acme.GetAsync("/f1?r=bob");
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await _acme.GetAsync("/p1")).StatusCode); // the learned status, answered here

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        Assert.Equal("https://dest.example/f1?r=alice", second.Headers.Location!.OriginalString);
        Assert.Equal(1, _legacy.Requests("/f1"));
        Assert.Equal(1, _legacy.Requests("/n1"));
        await using (var learned = _database.Owner.CreateCommand("SELECT destination, source, legacy_status FROM t_acme.links WHERE code = 'f1'"))
        await using (var row = await learned.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync());
            Assert.Equal(("https://dest.example/f1?r=alice", "legacy", 302), (row.GetString(0), row.GetString(1), row.GetInt32(2)));
        }

        await using (var none = _database.Owner.CreateCommand("SELECT count(*) FROM t_acme.links WHERE code = 'e1'"))
        {
            Assert.Equal(0L, (long)(await none.ExecuteScalarAsync())!);
        }

        await _service.WaitForWriterAsync();
        var view = await (await _acme.GetAsync("/api/migration")).ReadJsonAsync();
        Assert.Equal(2, (long)view["lastDay"]!["answeredByLegacy"]!);
        Assert.Equal(2, (long)view["lastDay"]!["answeredLocally"]!);
        Assert.Equal(2, (long)view["lastDay"]!["learned"]!);
        Assert.Equal(1, (long)view["lastDay"]!["legacyFailures"]!);
        var f1 = view["legacyCodes"]!.AsArray().Single(c => (string?)c!["code"] == "f1")!;
        Assert.Equal(2, (long)f1["clicks"]!);
    }

    [Fact]
    public async Task Settings_keep_the_legacy_base_url_and_an_absent_one_turns_the_fallback_off()
    {
        (await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "Europe/Paris", legacyBaseUrl = _legacy.Url })).EnsureSuccessStatusCode();
        Assert.Equal(_legacy.Url, (string?)(await (await _acme.GetAsync("/api/settings")).ReadJsonAsync())["legacyBaseUrl"]);

        (await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "Europe/Paris" })).EnsureSuccessStatusCode();

        Assert.Null((string?)(await (await _acme.GetAsync("/api/settings")).ReadJsonAsync())["legacyBaseUrl"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync("/f2")).StatusCode);
        Assert.Equal(0, _legacy.Requests("/f2"));
    }
}
