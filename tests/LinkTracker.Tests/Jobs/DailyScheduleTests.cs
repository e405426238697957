using System.Globalization;
using LinkTracker.Jobs;

namespace LinkTracker.Tests.Jobs;

public class DailyScheduleTests
{
    private static readonly TimeSpan ThreeAm = TimeSpan.FromHours(3);

    [Theory]
    [InlineData("2026-03-01T02:59:59Z", null)]
    [InlineData("2026-03-01T03:00:00Z", "2026-03-01")]
    [InlineData("2026-03-01T23:59:59Z", "2026-03-01")]
    [InlineData("2026-03-01T04:30:00+02:00", null)]
    [InlineData("2026-03-01T05:30:00+02:00", "2026-03-01")]
    public void Todays_run_is_due_from_its_utc_time_on(string now, string? due)
    {
        var expected = due is null ? (DateOnly?)null : DateOnly.Parse(due, CultureInfo.InvariantCulture);

        Assert.Equal(expected, DailySchedule.DueToday(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), ThreeAm));
    }

    [Theory]
    [InlineData("2026-03-01T00:00:00Z", "2026-03-01T03:00:00Z")]
    [InlineData("2026-03-01T02:59:59.999Z", "2026-03-01T03:00:00Z")]
    [InlineData("2026-03-01T03:00:00Z", "2026-03-02T03:00:00Z")]
    [InlineData("2026-12-31T22:00:00Z", "2027-01-01T03:00:00Z")]
    [InlineData("2026-03-01T01:00:00-05:00", "2026-03-02T03:00:00Z")]
    public void The_next_run_is_strictly_after_now(string now, string next)
    {
        var at = DailySchedule.NextRun(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), ThreeAm);

        Assert.Equal(DateTimeOffset.Parse(next, CultureInfo.InvariantCulture), at);
        Assert.Equal(TimeSpan.Zero, at.Offset);
    }

    [Fact]
    public void A_run_at_midnight_is_due_all_day()
    {
        Assert.Equal(new DateOnly(2026, 3, 1), DailySchedule.DueToday(DateTimeOffset.Parse("2026-03-01T00:00:00Z", CultureInfo.InvariantCulture), TimeSpan.Zero));
    }
}
