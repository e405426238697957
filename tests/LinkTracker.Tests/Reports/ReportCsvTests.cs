using LinkTracker.Core.Reports;
using LinkTracker.Reports;

namespace LinkTracker.Tests.Reports;

public class ReportCsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rlf", "\"cr\rlf\"")]
    [InlineData("", "")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("(direct)", "(direct)")]
    public void Fields_are_quoted_when_needed_and_never_start_a_formula(string value, string expected)
    {
        Assert.Equal(expected, ReportCsv.Field(value));
    }

    [Fact]
    public void A_report_is_a_total_row_then_links_then_referrers_with_crlf_lines()
    {
        var counts = new ClickDayCounts(
            10, 8, 5,
            [new LinkClickCounts("b", 4, 4, 2), new LinkClickCounts("a", 6, 4, 3)],
            [new ReferrerClickCount(null, 7), new ReferrerClickCount("https://news.example.com/x?y=1", 3)]);
        var day = new DateOnly(2026, 11, 1);
        var report = ReportBuilder.Build("acme", day, "UTC", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), counts);

        var csv = ReportCsv.Write(report);

        Assert.Equal(
            string.Join("\r\n", [
                ReportCsv.Header,
                "2026-11-01,total,,10,8,2,0.2,5",
                "2026-11-01,link,a,6,4,2,0.3333,3",
                "2026-11-01,link,b,4,4,0,0,2",
                "2026-11-01,referrer,(direct),7,,,,",
                "2026-11-01,referrer,news.example.com,3,,,,",
                "",
            ]),
            csv);
        Assert.Equal(csv, ReportCsv.Write(ReportBuilder.FromJson(ReportBuilder.ToJson(report))));
    }
}
