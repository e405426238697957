namespace LinkTracker.Core.Jobs;

/// <summary>
/// Background jobs with acknowledgements, delivered at least once. A received job is leased to one consumer; it comes
/// back if the lease ends without an ack (process killed, lease expired) or the job fails, after an exponential
/// backoff with jitter. After <see cref="JobQueueOptions.MaxAttempts"/> attempts it becomes a dead letter, kept with
/// its last error until it is redriven or purged. Handlers must therefore be idempotent.
/// </summary>
public interface IJobQueue
{
    /// <summary>Creates or upgrades the queue and takes back the jobs a stopped process still held; call once at start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Durably adds a job, due at once or after <paramref name="delay"/>. A job whose id is already waiting, leased
    /// or dead is not added again, so a caller that picks the id (e.g. "report:acme:2026-03-01") can enqueue safely twice.
    /// With <see cref="JobRequest.Refresh"/>, a job whose id is leased runs once more (its own payload, fresh attempts)
    /// after the current attempt, which may have read its input before this request; Added is then true. A queue that
    /// cannot tell ids apart adds every job (ADR 6).
    /// </summary>
    Task<JobEnqueued> EnqueueAsync(JobRequest job, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>Adds several jobs in one durable write, with the same rules as <see cref="EnqueueAsync"/>.</summary>
    Task<IReadOnlyList<JobEnqueued>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until a job is due and leases it for <paramref name="lease"/>. Tenants with due jobs take turns, so one
    /// tenant's backlog cannot starve another's job.
    /// </summary>
    /// <returns>The leased job; null only when <paramref name="cancellationToken"/> is cancelled or the queue stops.</returns>
    Task<JobLease?> ReceiveAsync(TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The job is done: it is removed for good.</summary>
    /// <returns>false when the lease had already ended: the job was or will be delivered again.</returns>
    Task<bool> AckAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>The attempt failed: the job comes back after a backoff, or becomes a dead letter after its last attempt.</summary>
    Task<JobFailOutcome> FailAsync(JobLease lease, string error, CancellationToken cancellationToken);

    /// <summary>Keeps a long job's lease: it now ends <paramref name="extension"/> from now.</summary>
    /// <returns>The lease with its new end; null when it had already ended.</returns>
    Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan extension, CancellationToken cancellationToken);

    /// <summary>Jobs waiting or leased, soonest due first.</summary>
    Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Dead letters, oldest first.</summary>
    Task<IReadOnlyList<DeadJob>> ListDeadAsync(int limit, CancellationToken cancellationToken);

    Task<DeadJob?> GetDeadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Puts a dead letter back in the queue, due at once, with a fresh set of attempts.</summary>
    /// <returns>false when no dead letter has that id.</returns>
    Task<bool> RedriveAsync(string id, CancellationToken cancellationToken);

    /// <returns>How many dead letters were put back.</returns>
    Task<int> RedriveAllAsync(CancellationToken cancellationToken);

    /// <returns>How many dead letters were deleted.</returns>
    Task<int> PurgeDeadAsync(CancellationToken cancellationToken);

    Task<JobQueueCounts> CountAsync(CancellationToken cancellationToken);
}
