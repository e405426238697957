namespace LinkTracker.Core.Segments;

/// <summary>Where a run is: queued, running, completed (recipients served) or failed (<see cref="SegmentRun.Error"/> says why).</summary>
public static class SegmentRunState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
