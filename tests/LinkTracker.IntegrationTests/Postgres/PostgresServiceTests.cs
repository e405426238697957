using System.Net;
using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>The same service with Storage:Engine=Postgres, end to end over HTTP, each test on a fresh database of its own.</summary>
public sealed class PostgresServiceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private TestService _service = null!;
    private string _acmeKey = null!;
    private string _globexKey = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _service = await TestService.StartAsync(_database.ServiceSettings());
        _acmeKey = await _service.AddTenantAsync("acme");
        _globexKey = await _service.AddTenantAsync("globex");
        _acme = _service.Client("acme", _acmeKey);
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a", campaign = "nov" })).EnsureSuccessStatusCode();
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/b", code = "b", campaign = "nov" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task N_redirects_with_distinct_recipients_are_N_clicks_and_N_unique_recipients_in_postgres()
    {
        Assert.Equal(300, await Clicker.ClickAsync(_acme, 300, i => $"/{(i % 3 == 0 ? "b" : "a")}?r=user-{i}"));
        await _service.WaitForWriterAsync();

        Assert.Equal((300L, 300L, 300L), await TotalsAsync("/api/stats"));
        Assert.Equal((300L, 300L, 300L), await TotalsAsync("/api/stats?campaign=nov"));
        Assert.Equal((200L, 200L, 200L), await TotalsAsync("/api/links/a/stats"));
        Assert.Equal((100L, 100L, 100L), await TotalsAsync("/api/links/b/stats"));

        // The clicks are in the tenant's PostgreSQL schema, and no tenant file was made in the data folder.
        await using var count = _database.Owner.CreateCommand("SELECT count(*) FROM t_acme.clicks");
        Assert.Equal(300L, (long)(await count.ExecuteScalarAsync())!);
        Assert.False(Directory.Exists(Path.Combine(_service.DataDirectory, "tenants")));
        Assert.False(File.Exists(Path.Combine(_service.DataDirectory, "catalog.db")));
    }

    [Fact]
    public async Task A_key_of_one_tenant_on_another_tenants_host_is_unauthorized()
    {
        using var globexHostWithAcmeKey = _service.Client("globex", _acmeKey);

        var response = await globexHostWithAcmeKey.GetAsync("/api/links");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _acme.GetAsync("/api/links")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_cannot_see_another_tenants_link()
    {
        using var globex = _service.Client("globex", _globexKey);

        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/a")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/links/a")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/links/a/stats")).StatusCode);
        Assert.Empty((await (await globex.GetAsync("/api/links")).ReadJsonAsync())["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _acme.GetAsync("/api/links/a")).StatusCode);
    }

    [Fact]
    public async Task Replaying_the_journal_changes_no_count()
    {
        Assert.Equal(100, await Clicker.ClickAsync(_acme, 100, i => $"/a?r=replay-{i}"));
        await _service.WaitForWriterAsync();
        var before = await TotalsAsync("/api/links/a/stats");
        Assert.Equal((100L, 100L, 100L), before);
        var stored = (await (await _acme.GetAsync("/api/links/a/clicks?limit=1000")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(100, stored.Count);

        // The very same clicks back in the journal, as a crash between commit and acknowledge would leave them.
        var replay = stored.Select(c => new Click(
            Guid.Parse((string)c!["id"]!), "acme", "a", (string?)c["recipient"], DateTimeOffset.Parse((string)c["at"]!),
            (string?)c["userAgent"], null, null, ClickFlags.None)).ToList();
        var duplicatesBefore = _service.Metrics.Duplicates;
        await _service.Services.GetRequiredService<IClickJournal>().AppendAsync(replay, CancellationToken.None);
        _service.Services.GetRequiredService<PendingClicks>().Appended();
        await _service.WaitForWriterAsync();

        Assert.Equal(before, await TotalsAsync("/api/links/a/stats"));
        Assert.Equal((100L, 100L, 100L), await TotalsAsync("/api/stats"));
        Assert.Equal(duplicatesBefore + 100, _service.Metrics.Duplicates);
    }

    [Fact]
    public async Task A_process_without_the_owner_login_serves_tenants_but_cannot_provision_one()
    {
        await using var serveOnly = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = serveOnly.Client("acme", _acmeKey);

        var link = await (await acme.GetAsync("/api/links/a")).ReadJsonAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => serveOnly.AddTenantAsync("initech"));

        Assert.Equal("https://example.com/a", (string?)link["url"]);
        Assert.Contains("owner connection", refused.Message, StringComparison.Ordinal);
    }

    private async Task<(long Clicks, long Human, long Unique)> TotalsAsync(string path)
    {
        var totals = (await (await _acme.GetAsync(path)).ReadJsonAsync())["totals"]!;
        return ((long)totals["clicks"]!, (long)totals["humanClicks"]!, (long)totals["uniqueRecipients"]!);
    }
}
