namespace LinkTracker.Jobs;

/// <summary>How many dead letters a redrive put back in the queue, or a purge deleted.</summary>
public sealed record JobsChangedResponse(int Count);
