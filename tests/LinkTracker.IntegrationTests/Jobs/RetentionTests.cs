using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Jobs;

/// <summary>The retention job through the real queue and worker: raw clicks go, stats stay. On each engine.</summary>
public abstract class RetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private TestService _service = null!;
    private HttpClient _acme = null!;
    private HttpClient _beta = null!;

    /// <summary>The storage settings of the engine under test.</summary>
    protected abstract Task<string[]> StorageSettingsAsync();

    protected virtual Task DisposeStorageAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync([.. await StorageSettingsAsync(), "Jobs:DailyAt=23:59:59"]);
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
        _beta = _service.Client("beta", await _service.AddTenantAsync("beta"));
        foreach (var api in (HttpClient[])[_acme, _beta])
        {
            (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a", campaign = "spring" })).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        _beta.Dispose();
        await _service.DisposeAsync();
        await DisposeStorageAsync();
    }

    private static Click ClickAt(string tenant, DateTimeOffset at, string recipient) =>
        new(Guid.CreateVersion7(at), tenant, "a", recipient, at, Clients.BrowserAgent, null, null, ClickFlags.None);

    /// <summary>Clicks 120 days old (beyond the 90-day default) and an hour old, written as the writer would.</summary>
    private async Task<(List<Click> Old, List<Click> Recent)> WriteClicksAsync(string tenant)
    {
        List<Click> old = [ClickAt(tenant, Now.AddDays(-120), "ann"), ClickAt(tenant, Now.AddDays(-120).AddMinutes(5), "bob"), ClickAt(tenant, Now.AddDays(-95), "cid")];
        List<Click> recent = [ClickAt(tenant, Now.AddHours(-1), "ann"), ClickAt(tenant, Now.AddMinutes(-30), "dee")];
        await _service.Services.GetRequiredService<IClickStore>().WriteAsync(tenant, [.. old, .. recent], CancellationToken.None);
        return (old, recent);
    }

    private static async Task<(long Clicks, long Human, long Unique)> TotalsAsync(HttpClient api, string path)
    {
        var from = Uri.EscapeDataString(Now.AddDays(-200).ToString("O"));
        var totals = (await (await api.GetAsync($"{path}{(path.Contains('?') ? '&' : '?')}granularity=day&from={from}")).ReadJsonAsync())["totals"]!;
        return ((long)totals["clicks"]!, (long)totals["humanClicks"]!, (long)totals["uniqueRecipients"]!);
    }

    private static async Task<List<Guid>> StoredClickIdsAsync(HttpClient api)
    {
        var page = await (await api.GetAsync("/api/links/a/clicks?limit=100")).ReadJsonAsync();
        return [.. page["items"]!.AsArray().Select(c => Guid.Parse((string)c!["id"]!)).Order()];
    }

    private async Task RunRetentionAsync(string tenant)
    {
        var enqueued = await _service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(RetentionJob.For(tenant, Today, 90), null, CancellationToken.None);
        Assert.True(enqueued.Added);
        await _service.WaitForJobsAsync();
    }

    [Fact]
    public async Task Retention_deletes_raw_clicks_older_than_the_retention_and_leaves_the_stats_whole()
    {
        var (old, recent) = await WriteClicksAsync("acme");
        var tenantBefore = await TotalsAsync(_acme, "/api/stats");
        var linkBefore = await TotalsAsync(_acme, "/api/links/a/stats");
        Assert.Equal(5, (await StoredClickIdsAsync(_acme)).Count);

        await RunRetentionAsync("acme");

        Assert.Equal(recent.Select(c => c.Id).Order(), await StoredClickIdsAsync(_acme));
        Assert.Equal((5L, 5L, 4L), tenantBefore);
        Assert.Equal(tenantBefore, await TotalsAsync(_acme, "/api/stats"));
        Assert.Equal(linkBefore, await TotalsAsync(_acme, "/api/links/a/stats"));
        Assert.DoesNotContain(old[0].Id, await StoredClickIdsAsync(_acme));
    }

    [Fact]
    public async Task Retention_of_one_tenant_leaves_another_tenants_clicks_alone_and_a_second_run_changes_nothing()
    {
        await WriteClicksAsync("acme");
        await WriteClicksAsync("beta");

        await RunRetentionAsync("acme");
        var acmeAfterFirst = await StoredClickIdsAsync(_acme);
        await RunRetentionAsync("acme");

        Assert.Equal(2, acmeAfterFirst.Count);
        Assert.Equal(acmeAfterFirst, await StoredClickIdsAsync(_acme));
        Assert.Equal(5, (await StoredClickIdsAsync(_beta)).Count);
        var status = await (await _service.OpsClient().GetAsync("/ops/jobs")).ReadJsonAsync();
        var outcome = status["outcomes"]!.AsArray().Single(o => (string?)o!["type"] == RetentionJob.Type && (string?)o["tenant"] == "acme")!;
        Assert.Equal((2L, 0L, 0L), ((long)outcome["succeeded"]!, (long)outcome["failed"]!, (long)outcome["deadLettered"]!));
        Assert.Equal(0, (long)status["dead"]!);
    }

    [Fact]
    public async Task A_retention_job_for_a_campaign_scope_keeps_campaign_stats()
    {
        await WriteClicksAsync("acme");
        var before = await TotalsAsync(_acme, "/api/stats?campaign=spring");

        await RunRetentionAsync("acme");

        Assert.Equal((5L, 5L, 4L), before);
        Assert.Equal(before, await TotalsAsync(_acme, "/api/stats?campaign=spring"));
    }
}

public sealed class SqliteRetentionTests : RetentionTests
{
    protected override Task<string[]> StorageSettingsAsync() => Task.FromResult<string[]>([]);
}

public sealed class PostgresRetentionTests : RetentionTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<string[]> StorageSettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }

    protected override async Task DisposeStorageAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
