using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Insights;

/// <summary>An API client asks for stats every second or so, though they change only as the writer stores clicks.</summary>
public sealed class StatsPollingRule(TenantActivity activity, IOptions<InsightsOptions> options) : IInsightRule
{
    public Insight? Evaluate(string tenant)
    {
        var queries = activity.Sum(tenant, TenantActivityKind.StatsQueries);
        var perMinute = queries / TenantActivity.Window.TotalMinutes;
        return perMinute < options.Value.StatsQueriesPerMinute ? null : new Insight(
            "stats-polling",
            "An API client polls your stats.",
            "Each call spends your API rate limit (429 beyond it) and your stats do not change faster than clicks are stored.",
            "Read stats once a minute or less, use 'freshness' in the answer to see what is still waiting, or take the daily report (webhook) instead of polling.",
            $"{queries} stats queries in {DoctorText.Window} ({DoctorText.Number(perMinute)} per minute).");
    }
}
