using LinkTracker.Runbook;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Runbook;

public sealed class TenantActivityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Sums_per_tenant_and_kind_over_the_last_five_minutes_only()
    {
        var activity = new TenantActivity(_time);
        activity.Add("acme", TenantActivityKind.StatsQueries);
        activity.Add("acme", TenantActivityKind.ClicksWritten, 100);
        _time.Advance(TimeSpan.FromMinutes(3));
        activity.Add("acme", TenantActivityKind.StatsQueries, 2);
        activity.Add("globex", TenantActivityKind.StatsQueries);

        Assert.Equal(3, activity.Sum("acme", TenantActivityKind.StatsQueries));
        Assert.Equal(100, activity.Sum("acme", TenantActivityKind.ClicksWritten));
        Assert.Equal(new Dictionary<string, long> { ["acme"] = 3, ["globex"] = 1 }, activity.ByTenant(TenantActivityKind.StatsQueries));

        _time.Advance(TimeSpan.FromMinutes(2.5)); // the first additions are now more than five minutes old
        Assert.Equal(2, activity.Sum("acme", TenantActivityKind.StatsQueries));
        Assert.Equal(0, activity.Sum("acme", TenantActivityKind.ClicksWritten));
        Assert.False(activity.ByTenant(TenantActivityKind.ClicksWritten).ContainsKey("acme"));

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(activity.ByTenant(TenantActivityKind.StatsQueries));
    }

    [Fact]
    public void A_bucket_reused_after_a_full_turn_starts_from_zero()
    {
        var activity = new TenantActivity(_time);
        activity.Add("acme", TenantActivityKind.UnknownCodes, 50);
        _time.Advance(TenantActivity.Window); // same ring slot, next turn
        activity.Add("acme", TenantActivityKind.UnknownCodes, 1);

        Assert.Equal(1, activity.Sum("acme", TenantActivityKind.UnknownCodes));
    }
}
