using System.Globalization;
using LinkTracker.Reports;

namespace LinkTracker.Tests.Reports;

public class ReportDayTests
{
    private static DateOnly Day(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static TimeZoneInfo Zone(string id) => ReportDay.FindTimeZone(id) ?? throw new InvalidOperationException($"{id} missing");

    [Theory]
    [InlineData("UTC", "2026-11-01", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")]
    [InlineData("Europe/Paris", "2026-11-01", "2026-10-31T23:00:00Z", "2026-11-01T23:00:00Z")]
    [InlineData("America/New_York", "2026-07-04", "2026-07-04T04:00:00Z", "2026-07-05T04:00:00Z")]
    [InlineData("Asia/Kolkata", "2026-01-15", "2026-01-14T18:30:00Z", "2026-01-15T18:30:00Z")]
    public void A_day_is_local_midnight_to_local_midnight_in_utc(string zone, string day, string from, string to)
    {
        var (start, end) = ReportDay.Bounds(Day(day), Zone(zone));

        Assert.Equal((At(from), At(to)), (start, end));
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-03-29", 23)] // clocks go 02:00 -> 03:00
    [InlineData("Europe/Paris", "2026-10-25", 25)] // clocks go 03:00 -> 02:00
    [InlineData("America/New_York", "2026-03-08", 23)]
    [InlineData("America/New_York", "2026-11-01", 25)]
    [InlineData("Europe/Paris", "2026-03-30", 24)]
    [InlineData("Australia/Sydney", "2026-04-05", 25)] // southern hemisphere: DST ends in April
    public void Daylight_saving_days_are_23_or_25_hours(string zone, string day, int hours)
    {
        var (start, end) = ReportDay.Bounds(Day(day), Zone(zone));

        Assert.Equal(TimeSpan.FromHours(hours), end - start);
    }

    [Fact]
    public void Where_clocks_jump_over_midnight_the_day_starts_at_the_first_local_time_that_exists()
    {
        // Chile springs forward at 24:00 on the first Saturday of September: 2026-09-06 has no 00:00, it starts at 01:00 (-03:00).
        var (start, end) = ReportDay.Bounds(Day("2026-09-06"), Zone("America/Santiago"));

        Assert.Equal(At("2026-09-06T04:00:00Z"), start);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
        Assert.Equal(end, ReportDay.Bounds(Day("2026-09-07"), Zone("America/Santiago")).From);
    }

    [Theory]
    // 03:00 UTC with a 1 h grace: in UTC yesterday ended 3 h ago; in Paris (04:00) too.
    [InlineData("UTC", "2026-11-27T03:00:00Z", "2026-11-26")]
    [InlineData("Europe/Paris", "2026-11-27T03:00:00Z", "2026-11-26")]
    // New York is at 22:00 on the 26th: the 25th is the last day that ended.
    [InlineData("America/New_York", "2026-11-27T03:00:00Z", "2026-11-25")]
    // Tokyo is at 12:00 on the 27th.
    [InlineData("Asia/Tokyo", "2026-11-27T03:00:00Z", "2026-11-26")]
    // Sao Paulo (-03:00) is at 00:30: the 26th ended only 30 minutes ago, within the grace.
    [InlineData("America/Sao_Paulo", "2026-11-27T03:30:00Z", "2026-11-25")]
    [InlineData("America/Sao_Paulo", "2026-11-27T04:00:00Z", "2026-11-26")]
    public void The_day_to_report_is_the_last_local_day_that_ended_before_the_grace(string zone, string now, string expected)
    {
        Assert.Equal(Day(expected), ReportDay.LastEnded(At(now), Zone(zone), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("Not/AZone")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("../../etc/passwd")]
    public void Unknown_time_zones_are_null(string? id)
    {
        Assert.Null(ReportDay.FindTimeZone(id));
    }
}
