namespace LinkTracker.Runbook.Slow;

/// <summary>The slow-operation log as /ops/slow shows it: each kind's threshold in milliseconds, then the operations, newest first.</summary>
public sealed record SlowOperationsResponse(IReadOnlyDictionary<string, double> ThresholdsMs, int PerTenant, IReadOnlyList<SlowOperation> Items);
