using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// The P0 on the real host: a burst whose journal records hold far more clicks than one writer batch is stored
/// exactly once (stored == captured == redirects, no duplicates), and stats freshness never says 0 while clicks wait.
/// </summary>
public sealed class BurstIntegrityTests
{
    private const int Clicks = 2_000;

    [Theory]
    [InlineData("Durable")]
    [InlineData("Buffered")]
    public async Task A_burst_larger_than_a_batch_is_stored_exactly_once_and_freshness_stays_honest(string mode)
    {
        // 200 connections put hundreds of clicks in one group commit (one record per tenant); the writer takes 50 at a time.
        await using var service = await TestService.StartAsync($"Capture:Mode={mode}", "Writer:BatchSize=50", "Writer:MaxTransactionsPerSecond=20");
        using var api = service.Client("acme", await service.AddTenantAsync("acme"));
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();

        var redirected = await Clicker.ClickAsync(api, Clicks, i => $"/a?r=burst-{i}", concurrency: 200);

        Assert.Equal(Clicks, redirected);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var sawWaiting = false;
        while (true)
        {
            var captured = service.Metrics.Captured; // before the stats: a Buffered click may be captured after its 302
            var stats = await (await api.GetAsync("/api/stats")).ReadJsonAsync();
            var stored = (long)stats["totals"]!["clicks"]!;
            var waiting = (long)stats["freshness"]!["pendingClicks"]!;
            Assert.True(stored + waiting >= captured, $"{mode}: stats say {stored} stored and {waiting} waiting of {captured} captured");
            sawWaiting |= waiting > 0;
            if (stored >= Clicks && waiting == 0)
            {
                Assert.Equal(Clicks, stored);
                Assert.Equal(Clicks, (long)stats["totals"]!["uniqueRecipients"]!);
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{mode}: {stored} of {Clicks} stored, {waiting} waiting after 60 s");
            await Task.Delay(50);
        }

        Assert.True(sawWaiting, "at 20 transactions of 50 clicks per second the drain takes seconds; freshness never showed it");
        Assert.Equal(Clicks, service.Metrics.Captured);
        Assert.Equal(Clicks, service.Metrics.RowsInserted);
        Assert.Equal(0, service.Metrics.Duplicates);
        var writer = await (await service.OpsClient().GetAsync("/ops/writer")).ReadJsonAsync();
        Assert.Equal(0, (long)writer["journalDepth"]!);
    }
}
