using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// The writer's cap and its fairness, read from the writer's own counters: with the local journal as its inbox, and
/// with the broker between capture and writer (RabbitMq:Uri set, one process with every role).
/// </summary>
public sealed class WriterTests
{
    private static Task<int> ClickAsync(HttpClient client, string code, int count, string prefix) =>
        Clicker.ClickAsync(client, count, i => $"/{code}?r={prefix}{i}");

    private static Task<TestService> StartAsync(bool broker, params string[] settings) => TestService.StartAsync(
        [.. settings, .. broker ? [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={RabbitMqTestServer.UniqueName("w")}"] : Array.Empty<string>()]);

    /// <summary>Until the writer stored <paramref name="count"/> clicks (the journal and the broker both empty).</summary>
    private static async Task WaitForRowsAsync(TestService service, long count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (service.Metrics.RowsInserted < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{service.Metrics.RowsInserted} of {count} clicks written after 30 s");
            await Task.Delay(25);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_transactions_per_second_never_exceed_the_cap_and_the_burst_becomes_lag(bool broker)
    {
        await using var service = await StartAsync(broker, "Writer:MaxTransactionsPerSecond=5", "Writer:BatchSize=10");
        using var api = service.Client("acme", await service.AddTenantAsync("acme"));
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "burst" })).EnsureSuccessStatusCode();
        var started = DateTimeOffset.UtcNow;

        var redirected = await ClickAsync(api, "burst", 250, "u");
        var lagDuringBurst = service.Metrics.LagSeconds;
        await WaitForRowsAsync(service, 250);

        using var ops = service.OpsClient();
        var status = await (await ops.GetAsync("/ops/writer")).ReadJsonAsync();
        var seconds = status["recentSeconds"]!.AsArray()
            .Where(s => DateTimeOffset.Parse((string)s!["second"]!) >= started.AddSeconds(-1))
            .Select(s => (int)s!["transactions"]!).ToList();

        Assert.Equal(250, redirected);
        Assert.Equal(250, (long)status["rowsInserted"]!);
        Assert.True(seconds.Max() <= 5, $"a second held {seconds.Max()} write transactions; the cap is 5: [{string.Join(",", seconds)}]");
        // 25 batches at 5 per second cannot take less than about 4 seconds: the cap really throttled.
        Assert.True(seconds.Count(s => s > 0) >= 4, $"writes spread over only {seconds.Count(s => s > 0)} seconds");
        Assert.True(lagDuringBurst >= 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tenants_backlog_does_not_hold_back_another_tenants_clicks(bool broker)
    {
        await using var service = await StartAsync(broker, "Writer:MaxTransactionsPerSecond=4", "Writer:BatchSize=20");
        using var big = service.Client("big", await service.AddTenantAsync("big"));
        using var small = service.Client("small", await service.AddTenantAsync("small"));
        (await big.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "blast" })).EnsureSuccessStatusCode();
        (await small.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "steady" })).EnsureSuccessStatusCode();
        // Both tenants' clicks flow first (with the broker: the writer consumes both tenants' queues).
        Assert.Equal(1, await ClickAsync(small, "steady", 1, "warm"));
        Assert.Equal(1, await ClickAsync(big, "blast", 1, "warm"));
        await WaitForRowsAsync(service, 2);

        // 600 clicks at 20 per transaction and 4 transactions per second: about 7.5 s of backlog for "big".
        await ClickAsync(big, "blast", 600, "b");
        Assert.True(service.Metrics.RowsInserted < 300, $"the backlog is only {602 - service.Metrics.RowsInserted}");
        var clicked = DateTimeOffset.UtcNow;
        Assert.Equal(1, await ClickAsync(small, "steady", 1, "s"));

        long smallClicks = 1;
        while (smallClicks == 1)
        {
            Assert.True(DateTimeOffset.UtcNow - clicked < TimeSpan.FromSeconds(2), "the small tenant's click was not written within 2 s");
            await Task.Delay(50);
            smallClicks = (long)(await (await small.GetAsync("/api/stats")).ReadJsonAsync())["totals"]!["clicks"]!;
        }

        Assert.True(service.Metrics.RowsInserted < 600, "the big tenant's backlog was already gone: the test proved nothing");
        await WaitForRowsAsync(service, 603);
        Assert.Equal(601, (long)(await (await big.GetAsync("/api/stats")).ReadJsonAsync())["totals"]!["clicks"]!);
    }
}
