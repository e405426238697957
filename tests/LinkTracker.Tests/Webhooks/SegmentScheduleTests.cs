using LinkTracker.Webhooks;

namespace LinkTracker.Tests.Webhooks;

public sealed class SegmentScheduleTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void A_daily_run_is_due_for_the_latest_local_date_whose_time_has_come()
    {
        var before = SegmentScheduleJobHandler.LastDue(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero), Paris, TimeSpan.FromHours(1));
        var after = SegmentScheduleJobHandler.LastDue(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), Paris, TimeSpan.FromHours(1));

        Assert.Equal((new DateOnly(2026, 12, 5), new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero)), before);
        Assert.Equal((new DateOnly(2026, 12, 6), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)), after);
    }

    [Fact]
    public void The_run_id_of_a_date_is_stable_and_differs_between_dates()
    {
        var id = SegmentScheduleJobHandler.RunId("seg_0000000000000001", new DateOnly(2026, 12, 5));

        Assert.Equal(id, SegmentScheduleJobHandler.RunId("seg_0000000000000001", new DateOnly(2026, 12, 5)));
        Assert.NotEqual(id, SegmentScheduleJobHandler.RunId("seg_0000000000000001", new DateOnly(2026, 12, 6)));
        Assert.Matches("^run_[0-9a-f]{16}$", id);
    }
}
