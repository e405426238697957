using LinkTracker.Core.Clicks;
using LinkTracker.Demo;

namespace LinkTracker.Tests.Demo;

public sealed class DemoTrafficTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-02T00:00:00Z"); // a Monday
    private static readonly DateTimeOffset End = Start + DemoData.Month;

    [Fact]
    public void The_same_month_gives_the_same_clicks_with_the_same_ids()
    {
        var first = DemoTraffic.Generate("demo", Start, End).ToList();
        var again = DemoTraffic.Generate("demo", Start, End).ToList();

        Assert.Equal(first, again);
        Assert.Equal(first.Count, first.Select(c => c.Id).Distinct().Count());
        Assert.InRange(first.Count, 3_000, 20_000);
    }

    [Fact]
    public void Clicks_fall_inside_the_month_after_their_campaign_started_with_the_ids_time()
    {
        var links = DemoLinks.All.ToDictionary(l => l.Code);

        foreach (var click in DemoTraffic.Generate("demo", Start, End))
        {
            Assert.InRange(click.At, Start + TimeSpan.FromDays(links[click.Code].FirstDay), End - TimeSpan.FromTicks(1));
            Assert.Equal(7, click.Id.Version);
            Assert.Equal(click.At.ToUnixTimeMilliseconds(), (long)(BitConverter.ToUInt64([.. click.Id.ToByteArray(bigEndian: true)[..8].Reverse()]) >> 16));
        }
    }

    [Fact]
    public void Days_are_busier_than_nights_weekdays_than_weekends_with_bots_and_repeat_recipients()
    {
        var clicks = DemoTraffic.Generate("demo", Start, End).ToList();
        var byHour = clicks.GroupBy(c => c.At.Hour).ToDictionary(g => g.Key, g => g.Count());
        var weekdays = clicks.Count(c => c.At.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) / 5.0;
        var weekends = clicks.Count(c => c.At.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / 2.0;
        var topRecipient = clicks.Where(c => c.Recipient is not null).GroupBy(c => c.Recipient).Max(g => g.Count());

        Assert.True(byHour[9] > 5 * byHour[3], $"09:00 {byHour[9]} vs 03:00 {byHour[3]}");
        Assert.True(weekdays > 1.3 * weekends, $"a weekday {weekdays} vs a weekend day {weekends}");
        Assert.InRange(clicks.Count(c => (c.Flags & ClickFlags.NonHuman) != 0) / (double)clicks.Count, 0.04, 0.15);
        Assert.True(topRecipient >= 20, $"the most active recipient clicked {topRecipient} times");
        Assert.Contains(clicks, c => c.Referrer is not null);
        Assert.Equal(30, clicks.Select(c => c.Code).Distinct().Count());
    }
}
