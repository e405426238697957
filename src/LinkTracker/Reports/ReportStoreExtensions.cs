using LinkTracker.Core.Reports;

namespace LinkTracker.Reports;

internal static class ReportStoreExtensions
{
    /// <summary>The tenant's settings, or the defaults (UTC, no webhook) when it never saved any.</summary>
    public static async Task<ReportSettings> GetSettingsOrDefaultAsync(this IReportStore store, string tenant, CancellationToken cancellationToken) =>
        await store.GetSettingsAsync(tenant, cancellationToken)
        ?? new ReportSettings(ReportSettings.DefaultTimeZone, null, null, DateTimeOffset.UnixEpoch);

    /// <summary>The zone of a stored id; a zone this machine lacks (ids were checked when saved) is an operator's problem, said so.</summary>
    public static TimeZoneInfo Zone(string timeZone) => ReportDay.FindTimeZone(timeZone) ?? throw new InvalidOperationException(
        $"The time zone '{timeZone}' is unknown on this machine; install the IANA time zone database (tzdata) or set another zone with PUT /api/settings.");
}
