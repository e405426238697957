using LinkTracker.Analytics;

namespace LinkTracker.Tests.Analytics;

public class StatsRangeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-27T13:25:00Z");

    [Fact]
    public void Defaults_to_the_last_seven_days_by_day()
    {
        var (range, errors) = StatsRange.Parse(null, null, null, Now);

        Assert.Empty(errors);
        Assert.Equal(Granularity.Day, range!.Granularity);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T00:00:00Z"), range.From);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T00:00:00Z"), range.To);
    }

    [Fact]
    public void Widens_to_whole_hours()
    {
        var (range, _) = StatsRange.Parse("2026-11-27T10:30:00Z", "2026-11-27T12:00:00Z", "hour", Now);

        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:00:00Z"), range!.From);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T12:00:00Z"), range.To);
    }

    [Fact]
    public void Reads_offsets_and_bare_dates_as_utc()
    {
        var (range, _) = StatsRange.Parse("2026-11-27T10:00:00+02:00", "2026-11-28", "HOUR", Now);

        Assert.Equal(DateTimeOffset.Parse("2026-11-27T08:00:00Z"), range!.From);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T00:00:00Z"), range.To);
    }

    [Theory]
    [InlineData("yesterday", null, null, "from")]
    [InlineData(null, "2026-13-01", null, "to")]
    [InlineData(null, null, "minute", "granularity")]
    [InlineData("2026-11-27", "2026-11-26", null, "from")]
    [InlineData("2020-01-01", "2026-01-01", "hour", "from")]
    public void Refuses_with_the_parameter_named(string? from, string? to, string? granularity, string field)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, Now);

        Assert.Null(range);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData(null, "9999-12-31T23:00:00Z", null, "to")]
    [InlineData(null, "9999-12-31T23:59:59Z", "hour", "to")]
    [InlineData("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "hour", "to")]
    [InlineData("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "hour", "from")]
    [InlineData("0001-01-01", "9999-12-31", "day", "from")]
    public void Refuses_calendar_edges_without_overflowing(string? from, string? to, string? granularity, string field)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, Now);

        Assert.Null(range);
        Assert.Contains(field, errors.Keys);
        Assert.All(errors.Values.SelectMany(m => m), m => Assert.Matches("earlier|narrow", m));
    }

    [Theory]
    [InlineData(null, "0001-01-02T05:00:00Z", "hour", "0001-01-01T00:00:00Z", "0001-01-02T05:00:00Z")]
    [InlineData("9999-12-30", "9999-12-31T00:00:00Z", "day", "9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z")]
    [InlineData("9999-12-31T20:00:00Z", "9999-12-31T23:00:00Z", "hour", "9999-12-31T20:00:00Z", "9999-12-31T23:00:00Z")]
    public void Takes_ranges_near_the_calendar_edges_that_fit(string? from, string to, string granularity, string start, string end)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, Now);

        Assert.Empty(errors);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), range!.From);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), range.To);
    }
}
