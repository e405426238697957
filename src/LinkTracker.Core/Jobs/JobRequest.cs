namespace LinkTracker.Core.Jobs;

/// <summary>
/// A job to run: its <paramref name="Type"/> picks the handler, <paramref name="Payload"/> is its JSON input.
/// <paramref name="Id"/> makes enqueueing idempotent; without one the queue assigns a new id.
/// </summary>
public sealed record JobRequest(string Type, string? Tenant, string Payload, string? Id = null)
{
    /// <summary>
    /// The caller wants a result made after this request (a tenant asking for a report again), not one a running
    /// attempt may have made before it: when a job with this id is leased, it runs once more, with its own payload and
    /// fresh attempts, after the current attempt ends (<see cref="IJobQueue.EnqueueAsync"/>).
    /// </summary>
    public bool Refresh { get; init; }
}
