using System.Globalization;

namespace LinkTracker.Analytics;

/// <summary>
/// The from/to/granularity of a stats call, widened to whole hours (or whole UTC days) so that every bucket
/// is complete. Defaults: the last 7 days by day.
/// </summary>
public sealed record StatsRange(DateTimeOffset From, DateTimeOffset To, Granularity Granularity)
{
    public const int MaxBuckets = 3_660;

    /// <returns>The range, or the errors by parameter.</returns>
    public static (StatsRange? Range, Dictionary<string, string[]> Errors) Parse(string? from, string? to, string? granularity, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var g = Granularity.Day;
        if (granularity is not null && !Enum.TryParse(granularity, ignoreCase: true, out g) || !Enum.IsDefined(g))
        {
            errors["granularity"] = ["granularity is 'hour' or 'day'."];
        }

        var toAt = ParseTime(to, "to", errors) ?? now;
        var fromAt = ParseTime(from, "from", errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // In ticks: a range at the calendar's edges (0001-01-01, 9999-12-31) must not overflow DateTimeOffset.
        var step = g == Granularity.Hour ? TimeSpan.TicksPerHour : TimeSpan.TicksPerDay;
        var unit = g.ToString().ToLowerInvariant();
        var start = Floor(fromAt?.UtcTicks ?? Math.Max(0, toAt.UtcTicks - (7 * TimeSpan.TicksPerDay)), step);
        var end = Floor(toAt.UtcTicks, step);
        if (end < toAt.UtcTicks)
        {
            if (end > DateTimeOffset.MaxValue.UtcTicks - step)
            {
                var last = new DateTimeOffset(end, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
                errors["to"] = [$"to falls in the calendar's last {unit}, which ends after 9999-12-31 and cannot be counted; give a to of {last} or earlier."];
                return (null, errors);
            }

            end += step;
        }

        if (start >= end)
        {
            errors["from"] = ["from must be before to."];
        }
        else if ((end - start) / step > MaxBuckets)
        {
            errors["from"] = [$"The range holds more than {MaxBuckets} {unit}s; narrow it to at most {MaxBuckets} {unit}s"
                + (g == Granularity.Hour ? " or use granularity=day." : ".")];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new StatsRange(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero), g), errors);
    }

    public TimeSpan Step => Granularity == Granularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    private static long Floor(long ticks, long step) => ticks - (ticks % step);

    private static DateTimeOffset? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors[name] = [$"{name} is not a date or time; use ISO 8601, e.g. 2026-11-01 or 2026-11-01T13:00:00Z."];
        return null;
    }
}
