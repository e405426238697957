using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>The daily retention job of one tenant: delete raw clicks older than the retention, keep the rollups.</summary>
public static class RetentionJob
{
    public const string Type = "retention";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The job of <paramref name="day"/> (UTC): its id, "retention:&lt;tenant&gt;:&lt;yyyy-MM-dd&gt;", makes scheduling it
    /// idempotent, and its cut-off (the day's start less the retention) makes every run of it delete the same clicks.
    /// </summary>
    public static JobRequest For(string tenant, DateOnly day, int retentionDays)
    {
        var before = new DateTimeOffset(day.AddDays(-retentionDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new JobRequest(Type, tenant, JsonSerializer.Serialize(new RetentionPayload(before), Json), Id(tenant, day));
    }

    public static string Id(string tenant, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant}:{day:yyyy-MM-dd}");
}
