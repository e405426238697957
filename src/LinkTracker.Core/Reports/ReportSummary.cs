namespace LinkTracker.Core.Reports;

/// <summary>A stored report in a listing, without its content.</summary>
public sealed record ReportSummary(DateOnly Date, string TimeZone, DateTimeOffset GeneratedAt);
