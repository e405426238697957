using LinkTracker.Api;
using LinkTracker.Core.Links;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>
/// The tenant's links, newest first, filtered by tag, campaign and text in the store (as GET /api/links?q=), so a text
/// search finds old links too, one page at a time (ADR 23).
/// </summary>
public sealed class LinksModel(ILinkStore store, Cursors cursors, TimeProvider time) : TenantPageModel
{
    public const int PageSize = 50;

    public string? Query { get; private set; }

    public string? Tag { get; private set; }

    public string? Campaign { get; private set; }

    public IReadOnlyList<Link> Links { get; private set; } = [];

    public string? Next { get; private set; }

    public string? Note { get; private set; }

    public async Task OnGetAsync(string? q, string? tag, string? campaign, string? cursor, CancellationToken cancellationToken)
    {
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        Tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();
        Campaign = string.IsNullOrWhiteSpace(campaign) ? null : campaign.Trim();
        if (Query?.Length > LinkQuery.MaxTextLength)
        {
            Query = Query[..LinkQuery.MaxTextLength];
            Note = $"Only the first {LinkQuery.MaxTextLength} characters of the text were searched for.";
        }

        var key = Tenant.Slug + "/dashboard-links";
        string? after = null;
        try
        {
            after = cursors.Decode(key, cursor);
        }
        catch (Core.Common.InvalidCursorException)
        {
            Note = "That page link is no longer valid; showing the newest links.";
        }

        var page = await store.ListAsync(Tenant.Slug, new LinkQuery(after, PageSize, Tag, Campaign, Query), cancellationToken);
        Links = page.Items;
        Next = cursors.Encode(key, page.Next);
    }

    public string ShortUrl(string code) => $"{Request.Scheme}://{Request.Host}/{code}";

    public string State(Link link) =>
        link.Disabled ? "disabled" : link.ExpiresAt is { } at && at <= time.GetUtcNow() ? "expired" : link.ExpiresAt is not null ? "expires " + DashboardFormat.Time(link.ExpiresAt) : "live";
}
