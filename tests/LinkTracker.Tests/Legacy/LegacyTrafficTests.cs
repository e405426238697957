using System.Diagnostics.Metrics;
using LinkTracker.Core.Legacy;
using LinkTracker.Legacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Legacy;

public sealed class LegacyTrafficTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task Without_a_board_the_only_nodes_counts_are_the_fleets()
    {
        var traffic = Traffic(board: null);
        traffic.Count("acme", LegacyOutcome.Proxied);
        traffic.Count("acme", LegacyOutcome.Failed);
        _time.Advance(TimeSpan.FromMinutes(61));
        traffic.Count("acme", LegacyOutcome.Proxied);

        var hour = await traffic.CountsAsync("acme", 60, default);
        var day = await traffic.CountsAsync("acme", 24 * 60, default);

        Assert.True(hour.FleetWide);
        Assert.Equal(1, hour[LegacyOutcome.Proxied]);
        Assert.Equal(0, hour[LegacyOutcome.Failed]);
        Assert.Equal(2, day[LegacyOutcome.Proxied]);
        Assert.Equal(1, day[LegacyOutcome.Failed]);
        Assert.Equal([hour, day], await traffic.CountsAsync("acme", [60, 24 * 60], default), new CountsComparer());
    }

    [Fact]
    public async Task A_board_that_cannot_be_read_gives_this_nodes_counts_marked_as_not_the_fleets()
    {
        var board = new FailingBoard();
        var traffic = Traffic(board);
        traffic.Count("acme", LegacyOutcome.Proxied);

        var counts = await traffic.CountsAsync("acme", 60, default);

        Assert.False(counts.FleetWide);
        Assert.Equal(1, counts[LegacyOutcome.Proxied]);
        Assert.Equal(1, board.Added);
    }

    private LegacyTraffic Traffic(ILegacyTrafficBoard? board) =>
        new(_meters.GetRequiredService<IMeterFactory>(), _time, NullLogger<LegacyTraffic>.Instance, board);

    private sealed class CountsComparer : IEqualityComparer<LegacyRequestCounts>
    {
        public bool Equals(LegacyRequestCounts? x, LegacyRequestCounts? y) =>
            x is not null && y is not null && x.FleetWide == y.FleetWide && x.ByOutcome.SequenceEqual(y.ByOutcome);

        public int GetHashCode(LegacyRequestCounts obj) => obj.FleetWide.GetHashCode();
    }

    private sealed class FailingBoard : ILegacyTrafficBoard
    {
        public int Added { get; private set; }

        public void Add(string tenant, long minute, int kind) => Added++;

        public Task<long[][]> SumAsync(string tenant, long toMinute, IReadOnlyList<int> windows, int kinds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Redis is down");
    }
}
