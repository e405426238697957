namespace LinkTracker.Core.Jobs;

/// <summary>A job that failed all its attempts, with the error of the last one.</summary>
public sealed record DeadJob(
    string Id,
    string Type,
    string? Tenant,
    string Payload,
    int Attempts,
    string LastError,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DiedAt);
