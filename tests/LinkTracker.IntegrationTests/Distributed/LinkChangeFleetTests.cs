using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// The distributed deployment under steady redirect load on one link, through two edges, while the api changes the
/// link's destination (ADR 0021): no redirect begun after the API answered goes to the old destination; with Redis
/// stopped, none begun later than LinkCache:StaleBoundWhenSharedCacheDown after the answer does.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class LinkChangeFleetTests : IAsyncLifetime
{
    private const string Old = "https://example.com/old";
    private const string New = "https://example.com/new";
    private static readonly TimeSpan StaleBound = TimeSpan.FromSeconds(2);

    // Between the moment this test takes as "answered" and a redirect's start, both on this machine's monotonic
    // clock; the service's own clock check is strict, this only covers the test's measuring of it.
    private static readonly TimeSpan MeasuringTolerance = TimeSpan.FromMilliseconds(250);

    private readonly string _prefix = "lc" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private PostgresTestDatabase _database = null!;
    private RedisProcess _redis = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _redis = await RedisProcess.StartAsync(); // its own, so the test may stop it
    }

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task No_redirect_begun_after_the_api_answered_a_change_goes_to_the_old_destination()
    {
        var (admin, edges) = await StartFleetAsync();
        var result = await ChangeUnderLoadAsync(admin, edges, afterChange: TimeSpan.FromSeconds(2));

        Assert.True(result.BeforeOld > 50, $"the load was too thin to mean anything: {result.BeforeOld} redirects before the change");
        Assert.True(result.AfterNew > 50, $"only {result.AfterNew} redirects to the new destination after the change");
        Assert.Equal([], result.StaleAfter(TimeSpan.Zero));
    }

    [Fact]
    public async Task With_redis_stopped_no_redirect_goes_to_the_old_destination_later_than_the_stale_bound_after_the_answer()
    {
        var (admin, edges) = await StartFleetAsync();
        _redis.Kill();

        var result = await ChangeUnderLoadAsync(admin, edges, afterChange: StaleBound + TimeSpan.FromSeconds(2));

        Assert.True(result.AfterNew > 50, $"only {result.AfterNew} redirects to the new destination after the change");
        Assert.Equal([], result.StaleAfter(StaleBound + MeasuringTolerance));
    }

    /// <summary>Load on both edges; the change through the api once the load runs; the load goes on for a while after.</summary>
    private static async Task<LoadResult> ChangeUnderLoadAsync(HttpClient admin, HttpClient[] edges, TimeSpan afterChange)
    {
        var redirects = new ConcurrentBag<(long Started, string? Location)>();
        using var stop = new CancellationTokenSource();
        var load = edges.SelectMany(edge => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await edge.GetAsync("/a");
                Assert.Equal(HttpStatusCode.Found, response.StatusCode);
                redirects.Add((started, response.Headers.Location?.ToString()));
            }
        }))).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // warm: every edge has the link cached
        using var changed = await admin.PatchRawAsync("/api/links/a", $$"""{"url":"{{New}}"}""");
        var answered = Stopwatch.GetTimestamp();
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        await Task.Delay(afterChange);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        return new LoadResult([.. redirects], answered);
    }

    private async Task<(HttpClient Admin, HttpClient[] Edges)> StartFleetAsync()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={_redis.Configuration}",
            $"Internal:Token={_fleet.Token}", $"LinkCache:StaleBoundWhenSharedCacheDown={StaleBound}"];
        var key = await FleetProcesses.AddTenantAsync(_database);
        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        var admin = _fleet.Track(api.Client("acme", key));
        (await admin.PostJsonAsync("/api/links", new { url = Old, code = "a" })).EnsureSuccessStatusCode();
        var edges = new HttpClient[2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = _fleet.Track((await _fleet.StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}"])).Client("acme"));
        }

        return (admin, edges);
    }

    private sealed record LoadResult(IReadOnlyList<(long Started, string? Location)> Redirects, long Answered)
    {
        public int BeforeOld => Redirects.Count(r => r.Started < Answered && r.Location == Old);

        public int AfterNew => Redirects.Count(r => r.Started > Answered && r.Location == New);

        /// <summary>Redirects to the old destination begun more than <paramref name="after"/> after the answer, as "+ms".</summary>
        public string[] StaleAfter(TimeSpan after) =>
        [
            .. Redirects.Where(r => r.Location == Old && Stopwatch.GetElapsedTime(Answered, r.Started) > after)
                .Select(r => $"+{Stopwatch.GetElapsedTime(Answered, r.Started).TotalMilliseconds:0} ms"),
        ];
    }
}
