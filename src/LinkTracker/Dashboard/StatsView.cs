using System.Globalization;
using LinkTracker.Analytics;

namespace LinkTracker.Dashboard;

/// <summary>
/// The range picker and chart of a stats page: a preset (24h by hour, 7d, 30d, 90d by day) or a custom from/to, the
/// series read by the same <see cref="StatsService"/> as GET /api/stats, and the URL the page's script polls.
/// </summary>
public sealed record StatsView(StatsResponse? Stats, string? Preset, string? From, string? To, string Granularity, string? Error, string DataUrl)
{
    public static readonly IReadOnlyList<(string Key, string Label)> Presets = [("24h", "Last 24 hours"), ("7d", "7 days"), ("30d", "30 days"), ("90d", "90 days")];

    /// <summary>Reads the picker; <c>dataPath</c> is the JSON endpoint of the scope, e.g. /dashboard/api/stats?campaign=spring.</summary>
    public static (StatsView View, StatsRange? Range) Parse(string? preset, string? from, string? to, string? granularity, DateTimeOffset now, string dataPath)
    {
        string? fromValue = from, toValue = to, unit = granularity;
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to))
        {
            preset = Presets.Any(p => p.Key == preset) ? preset : "7d";
            var (span, presetUnit) = preset switch
            {
                "24h" => (TimeSpan.FromHours(24), "hour"),
                "30d" => (TimeSpan.FromDays(30), "day"),
                "90d" => (TimeSpan.FromDays(90), "day"),
                _ => (TimeSpan.FromDays(7), "day"),
            };
            fromValue = Iso(now - span + (presetUnit == "hour" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1)));
            unit = string.IsNullOrEmpty(granularity) ? presetUnit : granularity;
        }
        else
        {
            preset = null;
        }

        var (range, errors) = StatsRange.Parse(fromValue, toValue, unit, now);
        if (range is null)
        {
            var error = string.Join(" ", errors.SelectMany(e => e.Value));
            return (new StatsView(null, preset, from, to, unit ?? "day", error, dataPath), null);
        }

        var unitName = range.Granularity.ToString().ToLowerInvariant();
        var separator = dataPath.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var url = $"{dataPath}{separator}from={Uri.EscapeDataString(Iso(range.From))}&to={Uri.EscapeDataString(Iso(range.To))}&granularity={unitName}";
        return (new StatsView(null, preset, from, to, unitName, null, url), range);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
}
