using System.Collections.Concurrent;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Segments;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>The segments contract on the embedded engine (SQLite, a database file per tenant), and what only it shows cheaply.</summary>
public sealed class SqliteSegmentsApiTests : SegmentsApiContract
{
    protected override Task<TestService> StartAsync(Action<IServiceCollection>? services, params string[] settings) =>
        services is null ? TestService.StartAsync(settings) : TestService.StartAsync(services, settings);

    [Fact]
    public async Task Every_finished_run_reports_its_timing_and_filter_shape_to_the_observers()
    {
        var observer = new Observer();
        await using var service = await StartAsync(s => s.AddSingleton<ISegmentRunObserver>(observer));
        using var acme = await SeedAsync(service);
        var id = await CreateAsync(acme, """{"all": [{"clicked": {"link": "pricing"}}, {"not": {"clicks": {"atLeast": 2, "campaign": "spring"}}}]}""");

        var run = await RunAsync(acme, id);

        var timing = Assert.Single(observer.Timings);
        Assert.Equal(("acme", id, (string)run["id"]!, "all(clicked,not(clicks))", "completed"), (timing.Tenant, timing.SegmentId, timing.RunId, timing.Shape, timing.State));
        Assert.Equal(((long)run["durationMs"]!, (long)run["rowsRead"]!, (long?)run["recipients"]), (timing.DurationMs, timing.RowsRead, timing.Recipients));
        Assert.Equal(6 + 9, timing.RowsRead); // pricing's clicks, then every click: SQLite counts by window and link, not campaign
    }

    [Fact]
    public async Task The_estimate_counts_the_scans_clicks_from_the_rollups_from_the_oldest_click_kept()
    {
        await using var service = await StartAsync(null);
        using var acme = await SeedAsync(service);
        async Task<long> EstimateAsync(string filter) =>
            (long)(await (await acme.PostRawAsync("/api/segments/preview", $$"""{"filter": {{filter}}}""")).ReadJsonAsync())["estimatedRows"]!;

        // pricing: ann's, bob's three, dee's 40 days ago, an anonymous one; every click: those and 3 more.
        Assert.Equal(6, await EstimateAsync("""{"clicked": {"link": "pricing"}}"""));
        Assert.Equal(5, await EstimateAsync("""{"clicked": {"link": "pricing", "within": "P30D"}}"""));
        Assert.Equal(9 + 5, await EstimateAsync("""{"not": {"clicked": {"link": "pricing", "within": "P30D"}}}""")); // every click, then pricing's

        // Retention deletes clicks, not rollups: dee's click no longer counts where a scan would meet it.
        await service.Services.GetRequiredService<IClickRetention>().DeleteClicksBeforeAsync("acme", DateTimeOffset.UtcNow.AddDays(-30), CancellationToken.None);
        Assert.Equal(5, await EstimateAsync("""{"clicked": {"link": "pricing"}}"""));
    }

    private sealed class Observer : ISegmentRunObserver
    {
        public ConcurrentQueue<SegmentRunTiming> Timings { get; } = new();

        public void RunFinished(SegmentRunTiming timing) => Timings.Enqueue(timing);
    }
}
