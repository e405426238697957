using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Runbook.Insights;

/// <summary>GET /api/insights: what the calling tenant does that costs it, with the fix (tenant API key, its own host).</summary>
public static class InsightsApi
{
    public static RouteGroupBuilder MapInsightsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/insights", GetInsights).WithTags("Insights")
            .WithSummary("Habits that cost you (polling stats, links one by one, unknown codes, slow queries), each with the fix");
        return api;
    }

    public static Ok<InsightsResponse> GetInsights(TenantContext tenant, IEnumerable<IInsightRule> rules) =>
        TypedResults.Ok(new InsightsResponse(tenant.Slug, TenantActivity.Window.TotalMinutes, [.. rules.Select(r => r.Evaluate(tenant.Slug)).OfType<Insight>()]));
}
