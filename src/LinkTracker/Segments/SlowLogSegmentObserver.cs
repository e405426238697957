using LinkTracker.Runbook.Slow;

namespace LinkTracker.Segments;

/// <summary>Puts each segment run that took longer than SlowLog:Segment into the tenant's slow-operation log (/ops/slow, doctor).</summary>
internal sealed class SlowLogSegmentObserver(SlowLog slowLog) : ISegmentRunObserver
{
    public void RunFinished(SegmentRunTiming timing) =>
        slowLog.Record(timing.Tenant, SlowOperationKind.Segment, TimeSpan.FromMilliseconds(timing.DurationMs), timing.RowsRead, timing.Shape);
}
