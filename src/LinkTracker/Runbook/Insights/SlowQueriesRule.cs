using LinkTracker.Runbook.Doctor;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook.Insights;

/// <summary>The tenant's stats queries, segments or reports were slow: it says which shape and how to make it cheaper.</summary>
public sealed class SlowQueriesRule(SlowLog log, TimeProvider time) : IInsightRule
{
    public Insight? Evaluate(string tenant)
    {
        var slow = log.Recent(tenant, since: time.GetUtcNow() - TenantActivity.Window)
            .Where(o => o.Kind is not SlowOperationKind.Writer) // writing clicks is our work, not the tenant's query
            .ToList();
        if (slow.Count == 0)
        {
            return null;
        }

        var slowest = slow.MaxBy(o => o.DurationMs)!;
        var kinds = string.Join(", ", slow.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return new Insight(
            "slow-queries",
            "Some of your queries are slow.",
            "Slow queries answer late and count against your query budget; long ranges at hourly granularity read the most rows.",
            "Ask for shorter ranges or daily granularity, narrow segments with a campaign or a link, and keep results you read often instead of asking again.",
            $"{kinds} slow operation(s) in {DoctorText.Window}; the slowest took {DoctorText.Number(slowest.DurationMs)} ms reading {slowest.RowsRead} rows ({slowest.Kind.ToString().ToLowerInvariant()}: {slowest.Shape}).");
    }
}
