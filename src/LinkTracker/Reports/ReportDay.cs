namespace LinkTracker.Reports;

/// <summary>
/// A report's day is a local calendar day of the tenant's time zone: [local midnight, next local midnight) in UTC,
/// 23 or 25 hours long on daylight-saving days.
/// </summary>
public static class ReportDay
{
    /// <returns>The zone of an IANA id such as "Europe/Paris", or null when this machine does not know it.</returns>
    public static TimeZoneInfo? FindTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The UTC instants the local day <paramref name="day"/> starts and ends at.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly day, TimeZoneInfo zone) => (StartOf(day, zone), StartOf(day.AddDays(1), zone));

    /// <summary>
    /// When the local day starts. Where clocks jump over midnight (e.g. America/Santiago) the day starts at the first
    /// local time that exists; where midnight happens twice, at the first of the two.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // The larger offset is the earlier instant of an ambiguous local time.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The local calendar date of an instant.</summary>
    public static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The latest local day that ended at least <paramref name="grace"/> before <paramref name="now"/>: the one to report on.</summary>
    public static DateOnly LastEnded(DateTimeOffset now, TimeZoneInfo zone, TimeSpan grace) => LocalDate(now - grace, zone).AddDays(-1);
}
