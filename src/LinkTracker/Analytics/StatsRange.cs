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
        var fromAt = ParseTime(from, "from", errors) ?? toAt.AddDays(-7);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var step = g == Granularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var start = Floor(fromAt, step);
        var end = Floor(toAt, step);
        if (end < toAt)
        {
            end += step;
        }

        if (start >= end)
        {
            errors["from"] = ["from must be before to."];
        }
        else if ((end - start) / step > MaxBuckets)
        {
            errors["from"] = [$"The range holds more than {MaxBuckets} {g.ToString().ToLowerInvariant()}s; narrow it or use granularity=day."];
        }

        return errors.Count > 0 ? (null, errors) : (new StatsRange(start, end, g), errors);
    }

    public TimeSpan Step => Granularity == Granularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) =>
        new(at.UtcTicks - (at.UtcTicks % step.Ticks), TimeSpan.Zero);

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
