namespace LinkTracker.Core.Reports;

/// <summary>
/// A tenant's report settings, its stored daily reports, and the click counts a report is made of. Adapters run SQL
/// only: which clicks are human, how referrers group and what the report says are decided by the caller.
/// </summary>
public interface IReportStore
{
    /// <returns>The tenant's settings; null when they were never saved (the defaults apply).</returns>
    Task<ReportSettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant's settings.</summary>
    Task SaveSettingsAsync(string tenant, ReportSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the tenant's raw clicks in [<paramref name="from"/>, <paramref name="to"/>), found by their UUIDv7 ids.
    /// A click is human when <c>flags &amp; <paramref name="nonHumanFlags"/></c> is 0; unique recipients are the
    /// distinct non-null recipients of human clicks.
    /// </summary>
    Task<ClickDayCounts> CountClicksAsync(string tenant, DateTimeOffset from, DateTimeOffset to, int nonHumanFlags, CancellationToken cancellationToken);

    /// <summary>Stores the report of its date, replacing the one stored for that date before (a re-run never duplicates).</summary>
    Task SaveReportAsync(string tenant, StoredReport report, CancellationToken cancellationToken);

    Task<StoredReport?> GetReportAsync(string tenant, DateOnly date, CancellationToken cancellationToken);

    /// <summary>Stored reports with a date in [<paramref name="from"/>, <paramref name="to"/>], newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReportSummary>> ListReportsAsync(string tenant, DateOnly from, DateOnly to, int limit, CancellationToken cancellationToken);
}
