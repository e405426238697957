using System.Text.Json;
using LinkTracker.Jobs;

namespace LinkTracker.Tests.Jobs;

public class RetentionJobTests
{
    [Fact]
    public void The_days_job_is_named_by_tenant_and_day_so_scheduling_it_twice_is_one_job()
    {
        var first = RetentionJob.For("acme", new DateOnly(2026, 3, 1), 90);
        var again = RetentionJob.For("acme", new DateOnly(2026, 3, 1), 90);

        Assert.Equal("retention:acme:2026-03-01", first.Id);
        Assert.Equal(first, again);
        Assert.Equal(("retention", "acme"), (first.Type, first.Tenant));
        Assert.NotEqual(first.Id, RetentionJob.For("beta", new DateOnly(2026, 3, 1), 90).Id);
        Assert.NotEqual(first.Id, RetentionJob.For("acme", new DateOnly(2026, 3, 2), 90).Id);
    }

    [Fact]
    public void The_cut_off_is_the_days_start_less_the_retention_in_utc()
    {
        var job = RetentionJob.For("acme", new DateOnly(2026, 3, 1), 90);

        var payload = JsonSerializer.Deserialize<RetentionPayload>(job.Payload, RetentionJob.Json)!;

        Assert.Equal(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), payload.Before);
    }
}
