using LinkTracker.Links;
using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Insights;

/// <summary>Links created one call each where one batch call would do.</summary>
public sealed class OneByOneLinksRule(TenantActivity activity, IOptions<InsightsOptions> options) : IInsightRule
{
    public Insight? Evaluate(string tenant)
    {
        var single = activity.Sum(tenant, TenantActivityKind.LinksCreatedOneByOne);
        var batches = activity.Sum(tenant, TenantActivityKind.LinkBatches);
        return single < options.Value.LinksOneByOne ? null : new Insight(
            "links-one-by-one",
            "Your links are created one by one.",
            "One call per link spends your API rate limit and takes one round trip per link: a campaign's links arrive slowly and may be refused with 429.",
            $"Create them in batches: POST /api/links/batch takes up to {LinkService.MaxBatch} links in one call, all or nothing.",
            $"{single} links created one per call and {batches} batch call(s) in {DoctorText.Window}.");
    }
}
