namespace LinkTracker.Reports;

/// <summary>Stored reports, newest first; <paramref name="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record ReportListResponse(IReadOnlyList<ReportListItem> Items, string? Next);
