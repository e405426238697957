using LinkTracker.Analytics;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Links;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>One link: its facts, its clicks over time (rollups, as GET /api/links/{code}/stats) and its latest raw clicks (as GET /api/links/{code}/clicks).</summary>
public sealed class LinkDetailModel(ILinkStore store, IClickStore clicks, StatsService stats, TimeProvider time) : TenantPageModel
{
    public const int RecentCount = 20;

    public Link Link { get; private set; } = null!;

    public StatsView Stats { get; private set; } = null!;

    public BreakdownsView Breakdowns { get; private set; } = BreakdownsView.Empty;

    public IReadOnlyList<Click> Recent { get; private set; } = [];

    public string ShortUrl => $"{Request.Scheme}://{Request.Host}/{Link.Code}";

    public string State => Link.Disabled ? "disabled" : Link.ExpiresAt is { } at && at <= time.GetUtcNow() ? "expired" : "live";

    public async Task<IActionResult> OnGetAsync(string code, string? range, string? from, string? to, string? granularity, CancellationToken cancellationToken)
    {
        if (!LinkCodes.IsWellFormed(code) || await store.FindAsync(Tenant.Slug, code, cancellationToken) is not { } link)
        {
            return NotFound();
        }

        Link = link;
        var (view, parsed) = StatsView.Parse(range, from, to, granularity, time.GetUtcNow(), $"/dashboard/api/links/{Uri.EscapeDataString(code)}/stats");
        Stats = parsed is null ? view : view with { Stats = await stats.GetAsync(Tenant.Slug, StatsScope.ForLink(code), parsed, cancellationToken) };
        Breakdowns = await BreakdownsView.LoadAsync(stats, Tenant.Slug, StatsScope.ForLink(code), parsed, cancellationToken);
        Recent = (await clicks.ListAsync(Tenant.Slug, new ClickQuery(code, null, RecentCount, null, null), cancellationToken)).Items;
        return Page();
    }
}
