namespace LinkTracker.Core.Jobs;

/// <summary>
/// A received job, held by one consumer until <paramref name="LeasedUntil"/>. <paramref name="Attempt"/> counts the
/// deliveries so far, this one included. <paramref name="Token"/> names this delivery to the adapter: once the lease
/// has ended it acknowledges nothing.
/// </summary>
public sealed record JobLease(
    string Id,
    string Type,
    string? Tenant,
    string Payload,
    int Attempt,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset LeasedUntil,
    long Token);
