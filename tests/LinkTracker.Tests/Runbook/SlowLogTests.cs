using LinkTracker.Runbook.Slow;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Runbook;

public sealed class SlowLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    private SlowLog Log(int perTenant = 3) => new(Options.Create(new SlowLogOptions
    {
        Stats = TimeSpan.FromMilliseconds(500),
        Segment = TimeSpan.FromSeconds(1),
        PerTenant = perTenant,
    }), _time);

    [Fact]
    public void Keeps_only_operations_at_or_over_their_kind_threshold()
    {
        var log = Log();

        Assert.False(log.Record("acme", SlowOperationKind.Stats, TimeSpan.FromMilliseconds(499), 10, "fast"));
        Assert.True(log.Record("acme", SlowOperationKind.Stats, TimeSpan.FromMilliseconds(500), 20, "scope=tenant"));
        Assert.False(log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromMilliseconds(900), 30, "segment under its own 1 s"));
        Assert.True(log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(2), 40, "country=* and device=mobile"));

        var kept = log.Recent("acme");
        Assert.Equal(["country=* and device=mobile", "scope=tenant"], kept.Select(o => o.Shape));
        Assert.Equal((SlowOperationKind.Segment, 2000.0, 40L), (kept[0].Kind, kept[0].DurationMs, kept[0].RowsRead));
    }

    [Fact]
    public void Each_tenant_keeps_its_newest_operations_up_to_the_bound_and_never_sees_another_tenants()
    {
        var log = Log(perTenant: 3);
        for (var i = 1; i <= 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            log.Record("acme", SlowOperationKind.Stats, TimeSpan.FromSeconds(1), i, $"acme {i}");
        }

        log.Record("globex", SlowOperationKind.Stats, TimeSpan.FromSeconds(1), 1, "globex 1");

        Assert.Equal(["acme 5", "acme 4", "acme 3"], log.Recent("acme").Select(o => o.Shape));
        Assert.Equal(["globex 1"], log.Recent("globex").Select(o => o.Shape));
        Assert.Equal(4, log.Recent().Count);
        Assert.Empty(log.Recent("initech"));
    }

    [Fact]
    public void Filters_by_kind_and_time()
    {
        var log = Log(perTenant: 10);
        log.Record("acme", SlowOperationKind.Stats, TimeSpan.FromSeconds(1), 1, "old stats");
        _time.Advance(TimeSpan.FromMinutes(10));
        var since = _time.GetUtcNow();
        log.Record("acme", SlowOperationKind.Stats, TimeSpan.FromSeconds(1), 1, "new stats");
        log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(5), 1, "new segment");

        Assert.Equal(["new stats"], log.Recent("acme", SlowOperationKind.Stats, since).Select(o => o.Shape));
        Assert.Equal(2, log.Recent("acme", since: since).Count);
        Assert.Single(log.Recent(limit: 1));
    }
}
