namespace LinkTracker.Core.Jobs;

/// <summary>A job waiting for its due time, or leased (<paramref name="LeasedUntil"/> set); <paramref name="Attempts"/> so far.</summary>
public sealed record PendingJob(
    string Id,
    string Type,
    string? Tenant,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? LeasedUntil,
    string? LastError);
