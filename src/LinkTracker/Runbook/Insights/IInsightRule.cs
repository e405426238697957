namespace LinkTracker.Runbook.Insights;

/// <summary>One habit of a tenant that costs it (time, freshness, its rate limit): found from its own activity, said with the fix.</summary>
public interface IInsightRule
{
    /// <returns>The insight, or null when the tenant does not do this.</returns>
    Insight? Evaluate(string tenant);
}
