namespace LinkTracker.Core.Reports;

/// <summary>
/// A daily report as stored, keyed by <paramref name="Date"/> (the tenant's local day): the UTC period it covers and its
/// <paramref name="Content"/>, the report's JSON exactly as served. <paramref name="GeneratedAt"/> is kept out of the
/// content so that two runs over the same clicks store the same bytes.
/// </summary>
public sealed record StoredReport(DateOnly Date, string TimeZone, DateTimeOffset From, DateTimeOffset To, DateTimeOffset GeneratedAt, string Content);
