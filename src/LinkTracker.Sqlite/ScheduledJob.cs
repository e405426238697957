namespace LinkTracker.Sqlite;

/// <summary>One waiting or leased job as the embedded queue's schedule sees it; the payload stays in the file. Times are Unix ms.</summary>
internal sealed class ScheduledJob(long seq, string id, string type, string? tenant, long enqueuedAt)
{
    /// <summary>The file's insertion order: it breaks ties between jobs due at the same time.</summary>
    public long Seq { get; } = seq;

    public string Id { get; } = id;

    public string Type { get; } = type;

    public string? Tenant { get; } = tenant;

    public long EnqueuedAt { get; } = enqueuedAt;

    public long Due { get; set; }

    /// <summary>Deliveries so far, the current one included.</summary>
    public int Attempts { get; set; }

    /// <summary>The current delivery's token; 0 while the job is not leased.</summary>
    public long Token { get; set; }

    public long LeasedUntil { get; set; }

    /// <summary>Leased and asked for again (<see cref="LinkTracker.Core.Jobs.JobRequest.Refresh"/>): runs once more when this attempt ends.</summary>
    public bool Again { get; set; }
}
