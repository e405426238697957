namespace LinkTracker.Core.Jobs;

/// <summary>How many jobs wait (due or not), are leased, and are dead letters.</summary>
public readonly record struct JobQueueCounts(long Waiting, long Leased, long Dead);
