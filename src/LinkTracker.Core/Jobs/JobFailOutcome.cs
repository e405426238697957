namespace LinkTracker.Core.Jobs;

/// <summary>What a failed attempt led to.</summary>
public enum JobFailOutcome
{
    /// <summary>The job comes back after a backoff.</summary>
    Retrying,

    /// <summary>That was the last attempt: the job is a dead letter now.</summary>
    DeadLettered,

    /// <summary>The lease had already ended, so the failure changed nothing; the job was or will be delivered again.</summary>
    LeaseLost,
}
