using LinkTracker.Core.Reports;
using LinkTracker.Reports;

namespace LinkTracker.Tests.Reports;

public class ReportBuilderTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static DailyReport Build(ClickDayCounts counts) => ReportBuilder.Build("acme", new DateOnly(2026, 11, 1), "UTC", From, From.AddDays(1), counts);

    [Theory]
    [InlineData(null, "(direct)")]
    [InlineData("", "(direct)")]
    [InlineData("  ", "(direct)")]
    [InlineData("https://WWW.Example.com/page?email=ann@example.com", "www.example.com")]
    [InlineData("http://news.example.org:8080/", "news.example.org")]
    [InlineData("android-app://com.google.android.gm/", "com.google.android.gm")]
    [InlineData("not a url", "(other)")]
    [InlineData("file:///etc/passwd", "(other)")]
    public void Referrers_are_grouped_by_host(string? referrer, string expected)
    {
        Assert.Equal(expected, ReportBuilder.ReferrerName(referrer));
    }

    [Fact]
    public void Top_referrers_are_the_ten_hosts_with_most_clicks_ties_by_name()
    {
        var referrers = Enumerable.Range(0, 12).Select(i => new ReferrerClickCount($"https://site{i:00}.example/", i < 4 ? 5 : i))
            .Append(new ReferrerClickCount("https://site11.example/other-page", 2))
            .ToList();

        var report = Build(new ClickDayCounts(0, 0, 0, [], referrers));

        Assert.Equal(
            // site00-03 and site05 tie at 5 clicks: the first four by name make the ten.
            ["site11.example", "site10.example", "site09.example", "site08.example", "site07.example", "site06.example",
             "site00.example", "site01.example", "site02.example", "site03.example"],
            report.TopReferrers.Select(r => r.Referrer));
        Assert.Equal(13, report.TopReferrers[0].Clicks);
    }

    [Fact]
    public void The_same_counts_in_any_order_give_the_same_bytes()
    {
        LinkClickCounts[] links = [new("a", 3, 3, 1), new("b", 3, 1, 1), new("c", 9, 0, 0)];
        ReferrerClickCount[] referrers = [new(null, 5), new("https://x.example/", 5), new("https://y.example/", 5)];

        var one = ReportBuilder.ToJson(Build(new ClickDayCounts(15, 4, 2, links, referrers)));
        var two = ReportBuilder.ToJson(Build(new ClickDayCounts(15, 4, 2, [.. links.Reverse()], [.. referrers.Reverse()])));

        Assert.Equal(one, two);
        Assert.StartsWith("{\"tenant\":\"acme\",\"date\":\"2026-11-01\",\"timeZone\":\"UTC\"", one, StringComparison.Ordinal);
        Assert.Contains("\"totals\":{\"clicks\":15,\"humanClicks\":4,\"nonHumanClicks\":11,\"nonHumanShare\":0.7333,\"uniqueRecipients\":2}", one, StringComparison.Ordinal);
        Assert.Equal(["c", "a", "b"], Build(new ClickDayCounts(15, 4, 2, links, referrers)).Links.Select(l => l.Code));
    }

    [Fact]
    public void A_day_without_clicks_has_zero_share_not_nan()
    {
        var report = Build(new ClickDayCounts(0, 0, 0, [], []));

        Assert.Equal(new ReportTotals(0, 0, 0, 0, 0), report.Totals);
        Assert.Empty(report.TopReferrers);
    }
}
