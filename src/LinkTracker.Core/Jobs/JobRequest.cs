namespace LinkTracker.Core.Jobs;

/// <summary>
/// A job to run: its <paramref name="Type"/> picks the handler, <paramref name="Payload"/> is its JSON input.
/// <paramref name="Id"/> makes enqueueing idempotent; without one the queue assigns a new id.
/// </summary>
public sealed record JobRequest(string Type, string? Tenant, string Payload, string? Id = null);
