using System.Text.Json;
using LinkTracker.Core.Reports;

namespace LinkTracker.Reports;

/// <summary>Turns a day's raw counts into the report: the rules (top referrers by host, shares, order) live here, not in SQL.</summary>
public static class ReportBuilder
{
    public const int TopReferrers = 10;
    public const string Direct = "(direct)";
    public const string Other = "(other)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static DailyReport Build(string tenant, DateOnly date, string timeZone, DateTimeOffset from, DateTimeOffset to, ClickDayCounts counts)
    {
        var links = counts.Links
            .Select(l => new LinkReportRow(l.Code, l.Clicks, l.HumanClicks, l.Clicks - l.HumanClicks, Share(l.Clicks - l.HumanClicks, l.Clicks), l.UniqueRecipients))
            .OrderByDescending(l => l.Clicks).ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToList();
        var referrers = counts.Referrers
            .GroupBy(r => ReferrerName(r.Referrer), StringComparer.Ordinal)
            .Select(g => new ReferrerReportRow(g.Key, g.Sum(r => r.Clicks)))
            .OrderByDescending(r => r.Clicks).ThenBy(r => r.Referrer, StringComparer.Ordinal)
            .Take(TopReferrers)
            .ToList();
        var nonHuman = counts.Clicks - counts.HumanClicks;
        var totals = new ReportTotals(counts.Clicks, counts.HumanClicks, nonHuman, Share(nonHuman, counts.Clicks), counts.UniqueRecipients);
        return new DailyReport(tenant, date, timeZone, from.ToUniversalTime(), to.ToUniversalTime(), totals, links, referrers);
    }

    /// <summary>
    /// The referring host, lower case: full URLs would split one source into a row per page and query string, and carry
    /// whatever the referring page put in its URL (e-mail addresses, tokens) into a file that is mailed and webhooked around.
    /// </summary>
    public static string ReferrerName(string? referrer) => Core.Analytics.ClickBreakdown.ReferrerHost(referrer);

    /// <summary>The report's JSON, the bytes that are stored, served and delivered.</summary>
    public static string ToJson(DailyReport report) => JsonSerializer.Serialize(report, Json);

    public static DailyReport FromJson(string json) =>
        JsonSerializer.Deserialize<DailyReport>(json, Json) ?? throw new InvalidOperationException("A stored report is empty.");

    private static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4, MidpointRounding.AwayFromZero);
}
