using System.Globalization;
using LinkTracker.Analytics;

namespace LinkTracker.Dashboard;

/// <summary>How the pages write numbers, times and freshness (dashboard.js writes freshness the same way when it refreshes).</summary>
public static class DashboardFormat
{
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary>"Up to date", or "3 s behind, 1,204 clicks waiting".</summary>
    public static string Freshness(Freshness freshness) => freshness.PendingClicks == 0
        ? "Up to date: every click so far is counted."
        : $"{Math.Ceiling(freshness.LagSeconds).ToString("N0", CultureInfo.InvariantCulture)} s behind, {Number(freshness.PendingClicks)} "
            + (freshness.PendingClicks == 1 ? "click" : "clicks") + " waiting";
}
