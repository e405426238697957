using System.Collections.Concurrent;
using System.Net;
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
    public async Task A_filter_whose_cost_cannot_be_estimated_within_the_time_limit_is_refused_with_422()
    {
        await using var service = await StartAsync(null, "Segments:StatementTimeout=00:00:00.0000001");
        using var acme = await SeedAsync(service);
        var now = DateTimeOffset.UtcNow;
        await service.Services.GetRequiredService<IClickStore>().WriteAsync("acme",
            [.. Enumerable.Range(0, 2_000).Select(i => now.AddSeconds(-i)).Select((at, i) => new Click(Guid.CreateVersion7(at), "acme", "pricing", $"r{i}", at, "test", null, null, ClickFlags.None))],
            CancellationToken.None);
        var id = await CreateAsync(acme, """{"clicked": {"link": "pricing"}}""");

        var preview = await acme.PostRawAsync("/api/segments/preview", """{"filter": {"clicked": {"link": "pricing"}}}""");
        var run = await acme.PostAsync($"/api/segments/{id}/runs", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, run.StatusCode);
        Assert.Contains("Segments:StatementTimeout", (string?)(await run.ReadJsonAsync())["detail"], StringComparison.Ordinal);
    }

    private sealed class Observer : ISegmentRunObserver
    {
        public ConcurrentQueue<SegmentRunTiming> Timings { get; } = new();

        public void RunFinished(SegmentRunTiming timing) => Timings.Enqueue(timing);
    }
}
