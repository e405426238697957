using LinkTracker.Core.Jobs;

namespace LinkTracker.Segments;

/// <summary>
/// Works through a tenant's queued segment runs, one at a time. One job is enqueued per run asked for; a job that finds
/// another run of its tenant running leaves its run to that worker, which takes queued runs until none is left.
/// </summary>
public static class SegmentRunJob
{
    public const string Type = "segment-run";

    public static JobRequest For(string tenant, string runId) => new(Type, tenant, "{}", $"{Type}:{tenant}:{runId}");
}
