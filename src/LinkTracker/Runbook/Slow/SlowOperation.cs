namespace LinkTracker.Runbook.Slow;

/// <summary>
/// One operation that took at least its kind's threshold: who, what, when, how long, how many rows, and its shape: the
/// filter or query shape without values a tenant typed in (e.g. "scope=campaign range=168h granularity=hour").
/// </summary>
public sealed record SlowOperation(string Tenant, SlowOperationKind Kind, DateTimeOffset At, double DurationMs, long RowsRead, string Shape);
