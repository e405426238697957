namespace LinkTracker.Reports;

/// <summary>
/// One tenant's clicks of one local day. Lists are in a fixed order (most clicks first, then by name, ordinal), and
/// nothing depends on when it was made, so the same clicks always give the same bytes.
/// </summary>
public sealed record DailyReport(
    string Tenant,
    DateOnly Date,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    ReportTotals Totals,
    IReadOnlyList<LinkReportRow> Links,
    IReadOnlyList<ReferrerReportRow> TopReferrers);
