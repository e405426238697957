namespace LinkTracker.Reports;

/// <summary>A stored report and where to download it in each format.</summary>
public sealed record ReportListItem(DateOnly Date, string TimeZone, DateTimeOffset GeneratedAt, string Json, string Csv);
