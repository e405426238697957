namespace LinkTracker.Reports;

/// <summary>
/// One day of a status: "ready" (with <paramref name="Report"/>, its download path), "pending" (waiting or running), or
/// "failed" (its job is a dead letter; <paramref name="Error"/> says why).
/// </summary>
public sealed record ReportDayStatus(DateOnly Date, string State, DateTimeOffset? GeneratedAt, string? Error, string? Report);
