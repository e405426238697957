using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>
/// The queue at a glance: jobs waiting (due or delayed), leased (running) and dead; the first pending jobs, soonest
/// due first; and what this process's workers did per job type and tenant since it started.
/// </summary>
public sealed record JobsStatusResponse(
    long Waiting,
    long Leased,
    long Dead,
    IReadOnlyList<PendingJob> Pending,
    IReadOnlyList<JobTypeCounts> Outcomes);
