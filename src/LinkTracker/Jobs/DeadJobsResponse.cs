using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>Dead letters, oldest first; <paramref name="Total"/> counts them all when the list is limited.</summary>
public sealed record DeadJobsResponse(long Total, IReadOnlyList<DeadJob> Items);
