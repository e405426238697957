using System.Diagnostics.Metrics;
using LinkTracker.Core.Legacy;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Legacy;
using LinkTracker.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Legacy;

/// <summary>
/// The migration view's proxied and failed requests on the distributed deployment: edges count them, api nodes answer
/// the view, and the counts meet in Redis. Two nodes here share one real Redis, each with a connection of its own.
/// </summary>
public sealed class LegacyTrafficBoardTests : IAsyncLifetime
{
    private readonly string _prefix = "lt" + Guid.NewGuid().ToString("N")[..10];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 30, TimeSpan.Zero));
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ConnectionMultiplexer _edgeRedis = null!;
    private ConnectionMultiplexer _apiRedis = null!;

    public async Task InitializeAsync()
    {
        _edgeRedis = await RedisTestServer.ConnectAsync();
        _apiRedis = await RedisTestServer.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await _edgeRedis.DisposeAsync();
        await _apiRedis.DisposeAsync();
        await _meters.DisposeAsync();
    }

    [Fact]
    public async Task Requests_counted_on_any_node_are_in_every_nodes_view_for_their_window_only()
    {
        var edge = Node(new RedisLegacyTrafficBoard(_edgeRedis, _prefix));
        var otherEdge = Node(new RedisLegacyTrafficBoard(_edgeRedis, _prefix));
        var api = Node(new RedisLegacyTrafficBoard(_apiRedis, _prefix));

        edge.Count("acme", LegacyOutcome.Proxied);
        edge.Count("acme", LegacyOutcome.Proxied);
        otherEdge.Count("acme", LegacyOutcome.Proxied);
        otherEdge.Count("acme", LegacyOutcome.Failed);
        edge.Count("globex", LegacyOutcome.TimedOut);
        _time.Advance(TimeSpan.FromMinutes(90)); // out of the hour, still in the day
        edge.Count("acme", LegacyOutcome.Proxied);

        var hour = await PollAsync(() => api.CountsAsync("acme", 60, default), c => c[LegacyOutcome.Proxied] == 1);
        var day = await PollAsync(() => api.CountsAsync("acme", 24 * 60, default), c => c[LegacyOutcome.Proxied] == 4);
        Assert.True(hour.FleetWide);
        Assert.Equal([0, 0, 0, 0, 0, 1], hour.ByOutcome);
        Assert.Equal([0, 0, 1, 0, 0, 4], day.ByOutcome);
        Assert.Equal(1, (await api.CountsAsync("globex", 24 * 60, default))[LegacyOutcome.TimedOut]);
        Assert.Equal([hour.ByOutcome, day.ByOutcome], (await api.CountsAsync("acme", [60, 24 * 60], default)).Select(c => c.ByOutcome));

        _time.Advance(TimeSpan.FromHours(24)); // everything is now older than a day
        Assert.All((await api.CountsAsync("acme", 24 * 60, default)).ByOutcome, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task A_burst_is_sent_as_one_count_per_minute_and_kind_and_every_request_is_in_it()
    {
        using var board = new RedisLegacyTrafficBoard(_edgeRedis, _prefix, flushEvery: TimeSpan.FromHours(1)); // flushed by hand
        var edge = Node(board);
        var api = Node(new RedisLegacyTrafficBoard(_apiRedis, _prefix));

        Parallel.For(0, 1_000, i => edge.Count("acme", i % 10 == 0 ? LegacyOutcome.Failed : LegacyOutcome.Proxied));
        Assert.Equal(0, (await api.CountsAsync("acme", 60, default))[LegacyOutcome.Proxied]); // nothing sent yet
        board.Flush();

        var counts = await PollAsync(() => api.CountsAsync("acme", 60, default), c => c[LegacyOutcome.Proxied] == 900);
        Assert.Equal((900, 100), (counts[LegacyOutcome.Proxied], counts[LegacyOutcome.Failed]));
        var ttl = await _apiRedis.GetDatabase().KeyTimeToLiveAsync($"{_prefix}:legacy:acme:{_time.GetUtcNow().ToUnixTimeSeconds() / 60}");
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
    }

    [Fact]
    public async Task Another_deployment_sharing_the_redis_does_not_count_here()
    {
        var ours = Node(new RedisLegacyTrafficBoard(_apiRedis, _prefix));
        var theirs = Node(new RedisLegacyTrafficBoard(_edgeRedis, _prefix + "x"));

        theirs.Count("acme", LegacyOutcome.Proxied);
        ours.Count("acme", LegacyOutcome.Refused);

        await PollAsync(() => ours.CountsAsync("acme", 60, default), c => c[LegacyOutcome.Refused] == 1);
        Assert.Equal(0, (await ours.CountsAsync("acme", 60, default))[LegacyOutcome.Proxied]);
    }

    private LegacyTraffic Node(ILegacyTrafficBoard board) =>
        new(_meters.GetRequiredService<IMeterFactory>(), _time, NullLogger<LegacyTraffic>.Instance, board);

    /// <summary>Counts are sent without waiting for Redis: read until they arrive or the deadline passes.</summary>
    private static async Task<LegacyRequestCounts> PollAsync(Func<Task<LegacyRequestCounts>> read, Func<LegacyRequestCounts, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var counts = await read();
            if (done(counts) || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            await Task.Delay(20);
        }
    }
}
