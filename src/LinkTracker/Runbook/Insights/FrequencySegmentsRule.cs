using LinkTracker.Runbook.Doctor;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook.Insights;

/// <summary>The tenant's "at least N clicks" segments were slow, and an index it does not have would serve them (ADR 31).</summary>
public sealed class FrequencySegmentsRule(SlowLog log, TimeProvider time) : IInsightRule
{
    public Insight? Evaluate(string tenant)
    {
        var slow = log.Recent(tenant, SlowOperationKind.Segment, since: time.GetUtcNow() - TenantActivity.Window)
            .Where(FrequencySegmentsCheck.LacksRecipientIndex)
            .ToList();
        if (slow.Count == 0)
        {
            return null;
        }

        var slowest = slow.MaxBy(o => o.DurationMs)!;
        return new Insight(
            "frequency-segments",
            "Your \"at least N clicks\" segments are slow.",
            "Each run groups every click of its window by recipient: on millions of clicks that takes seconds, and a run that reaches the time limit fails.",
            "Add a link, campaign or tag to the segment, or shorten its window; if you need the whole window, ask your operator for the recipient index "
            + "on your clicks, which serves these segments (about twice as fast on 10M clicks) and makes your clicks a little slower to store.",
            $"{slow.Count} slow run(s) in {DoctorText.Window}; the slowest took {DoctorText.Number(slowest.DurationMs)} ms reading {slowest.RowsRead} rows.");
    }
}
