namespace LinkTracker.Reports;

/// <summary>Which days of a range have a report made since <paramref name="Since"/> (any report when null); complete when all do.</summary>
public sealed record ReportStatusResponse(DateOnly From, DateOnly To, DateTimeOffset? Since, bool Complete, IReadOnlyList<ReportDayStatus> Days);
