namespace LinkTracker.Clicks;

/// <summary>
/// How many click dead letters a redrive sent back to their tenants' queues, or a purge deleted. <paramref name="Kept"/>:
/// ones a redrive matched but left in the dead queue, because nothing tells which tenant's queue they came from.
/// </summary>
public sealed record DeadClicksChangedResponse(int Count, int Kept);
