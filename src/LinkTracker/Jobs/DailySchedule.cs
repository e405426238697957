namespace LinkTracker.Jobs;

/// <summary>When a daily run at a UTC time of day happens.</summary>
public static class DailySchedule
{
    /// <summary>The run that is due by <paramref name="now"/> today, or null when today's time has not come yet.</summary>
    public static DateOnly? DueToday(DateTimeOffset now, TimeSpan at)
    {
        var utc = now.UtcDateTime;
        return utc.TimeOfDay >= at ? DateOnly.FromDateTime(utc) : null;
    }

    /// <summary>The first run strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan at)
    {
        var utc = now.UtcDateTime;
        var today = new DateTimeOffset(utc.Date + at, TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }
}
