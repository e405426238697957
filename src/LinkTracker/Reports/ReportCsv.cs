using System.Globalization;
using System.Text;

namespace LinkTracker.Reports;

/// <summary>
/// A report as one RFC 4180 table (CRLF lines, UTF-8): a total row, a row per link, then the top referrers, told
/// apart by the section column, each row dated so that several days' files can be concatenated.
/// </summary>
public static class ReportCsv
{
    public const string Header = "date,section,name,clicks,human_clicks,non_human_clicks,non_human_share,unique_recipients";

    public static string Write(DailyReport report)
    {
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        var date = report.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var t = report.Totals;
        Row(csv, date, "total", "", t.Clicks, t.HumanClicks, t.NonHumanClicks, t.NonHumanShare, t.UniqueRecipients);
        foreach (var l in report.Links)
        {
            Row(csv, date, "link", l.Code, l.Clicks, l.HumanClicks, l.NonHumanClicks, l.NonHumanShare, l.UniqueRecipients);
        }

        foreach (var r in report.TopReferrers)
        {
            Row(csv, date, "referrer", r.Referrer, r.Clicks, null, null, null, null);
        }

        return csv.ToString();
    }

    /// <summary>
    /// One field: quoted when it holds a comma, quote or line break (quotes doubled); a leading =, +, -, @, tab or CR
    /// gets a ' first, so a spreadsheet shows a click's referrer instead of running it as a formula.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Row(StringBuilder csv, string date, string section, string name, long clicks, long? human, long? nonHuman, double? share, long? unique)
    {
        csv.Append(date).Append(',').Append(section).Append(',').Append(Field(name)).Append(',')
            .Append(clicks.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(human?.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(nonHuman?.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(share?.ToString("0.####", CultureInfo.InvariantCulture)).Append(',')
            .Append(unique?.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
    }
}
