using System.Collections.Concurrent;
using System.Net;
using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Analytics;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;
using LinkTracker.Tenants;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>The server as a child process: every click that got its redirect survives kill -9 and SIGTERM.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private async Task<string> AddTenantAsync(string slug)
    {
        var databases = new SqliteDatabases(_data.Path);
        var admin = new TenantAdmin(new SqliteCatalogStore(databases), new SqliteTenantProvisioner(databases), new SqliteRecipientIndex(databases), TimeProvider.System);
        return (await admin.AddTenantAsync(slug, null, CancellationToken.None)).ApiKey;
    }

    private async Task<long> PendingInJournalAsync()
    {
        using var journal = new SegmentClickJournal(Path.Combine(_data.Path, "journal"), syncEachAppend: true, NullLogger<SegmentClickJournal>.Instance);
        await journal.MigrateAsync(CancellationToken.None);
        return journal.CountPending().Values.Sum();
    }

    private async Task<long> StoredClicksAsync(string tenant)
    {
        var hours = await new SqliteStatsStore(new SqliteDatabases(_data.Path))
            .ReadHourlyAsync(tenant, StatsScope.Tenant, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        return hours.Sum(h => h.Clicks);
    }

    private static async Task<HashSet<string>> StoredRecipientsAsync(HttpClient api, string code)
    {
        var recipients = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await api.GetAsync($"/api/links/{code}/clicks?limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync();
            recipients.AddRange(page["items"]!.AsArray().Select(c => (string)c!["recipient"]!));
            cursor = (string?)page["next"];
        }
        while (cursor is not null);

        Assert.Equal(recipients.Count, recipients.Distinct().Count());
        return [.. recipients];
    }

    [Fact]
    public async Task Every_redirected_click_survives_kill_9()
    {
        var key = await AddTenantAsync("acme");
        // A slow writer keeps most clicks in the journal when the process dies.
        string[] slowWriter = ["Writer:MaxTransactionsPerSecond=2", "Writer:BatchSize=25"];
        var acknowledged = new ConcurrentBag<string>();
        using (var first = await ServiceProcess.StartAsync(_data.Path, slowWriter))
        {
            using var api = first.Client("acme", key);
            (await api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "k9" })).EnsureSuccessStatusCode();
            using var stop = new CancellationTokenSource();
            var next = 0;
            var senders = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                using var client = first.Client("acme");
                while (!stop.IsCancellationRequested)
                {
                    var recipient = $"k9-{Interlocked.Increment(ref next)}";
                    try
                    {
                        if ((await client.GetAsync($"/k9?r={recipient}")).StatusCode == HttpStatusCode.Found)
                        {
                            acknowledged.Add(recipient);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // The server is gone.
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 600 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            first.Kill(); // SIGKILL while clicks are in flight
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 600, $"only {acknowledged.Count} redirects before the deadline");
        Assert.True(await PendingInJournalAsync() > 0, "nothing was left in the journal: the kill came too late to prove anything");

        using var second = await ServiceProcess.StartAsync(_data.Path);
        using var again = second.Client("acme", key);
        var deadlineAfter = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await (await again.GetAsync("/api/stats")).ReadJsonAsync())["freshness"]!["pendingClicks"]! > 0)
        {
            Assert.True(DateTime.UtcNow < deadlineAfter, "the restarted writer did not drain the journal");
            await Task.Delay(100);
        }

        var stored = await StoredRecipientsAsync(again, "k9");
        var lost = acknowledged.Where(r => !stored.Contains(r)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged clicks were lost, e.g. {string.Join(", ", lost.Take(5))}");
        var totals = (await (await again.GetAsync("/api/links/k9/stats")).ReadJsonAsync())["totals"]!;
        Assert.Equal(stored.Count, (long)totals["clicks"]!);
        Assert.Equal(stored.Count, (long)totals["uniqueRecipients"]!);
    }

    [Fact]
    public async Task Sigterm_drains_capture_and_journal_before_exiting()
    {
        var key = await AddTenantAsync("acme");
        using var service = await ServiceProcess.StartAsync(_data.Path, "Writer:MaxTransactionsPerSecond=4", "Writer:BatchSize=50", "Writer:DrainOnStopSeconds=30");
        using var api = service.Client("acme", key);
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "term" })).EnsureSuccessStatusCode();
        var redirected = await Clicker.ClickAsync(api, 400, i => $"/term?r=t{i}", concurrency: 16);
        using var ops = service.OpsClient();
        var depth = (long)(await (await ops.GetAsync("/ops/writer")).ReadJsonAsync())["journalDepth"]!;
        Assert.True(depth > 0, "the writer had already caught up: the drain was not tested");

        var exitCode = await service.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Equal(400, redirected);
        Assert.Equal(0, await PendingInJournalAsync());
        Assert.Equal(400, await StoredClicksAsync("acme"));
    }
}
