using LinkTracker.Analytics;
using LinkTracker.Core.Analytics;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Insights;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>The tenant's (or one campaign's) clicks over time and top values (country, device, ...), read from the rollups by the API's own <see cref="StatsService"/>.</summary>
public sealed class IndexModel(StatsService stats, TimeProvider time, IEnumerable<IInsightRule> rules) : TenantPageModel
{
    public string? Campaign { get; private set; }

    public StatsView Stats { get; private set; } = null!;

    public BreakdownsView Breakdowns { get; private set; } = BreakdownsView.Empty;

    /// <summary>What GET /api/insights says about the tenant: costly habits, each with its fix.</summary>
    public IReadOnlyList<Insight> Insights { get; private set; } = [];

    public double InsightsWindowMinutes => TenantActivity.Window.TotalMinutes;

    public async Task OnGetAsync(string? campaign, string? range, string? from, string? to, string? granularity, CancellationToken cancellationToken)
    {
        Campaign = string.IsNullOrWhiteSpace(campaign) ? null : campaign.Trim();
        var path = Campaign is null ? "/dashboard/api/stats" : "/dashboard/api/stats?campaign=" + Uri.EscapeDataString(Campaign);
        var (view, parsed) = StatsView.Parse(range, from, to, granularity, time.GetUtcNow(), path);
        var scope = Campaign is null ? StatsScope.Tenant : StatsScope.ForCampaign(Campaign);
        Stats = parsed is null ? view : view with { Stats = await stats.GetAsync(Tenant.Slug, scope, parsed, cancellationToken) };
        Breakdowns = await BreakdownsView.LoadAsync(stats, Tenant.Slug, scope, parsed, cancellationToken);
        Insights = [.. rules.Select(r => r.Evaluate(Tenant.Slug)).OfType<Insight>()];
    }
}
