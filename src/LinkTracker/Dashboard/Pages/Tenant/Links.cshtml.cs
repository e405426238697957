using LinkTracker.Api;
using LinkTracker.Core.Links;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>
/// The tenant's links, newest first, filtered by tag and campaign in the store (as GET /api/links) and by text here:
/// a text search reads at most <see cref="MaxScanned"/> links and says so when it stopped early.
/// </summary>
public sealed class LinksModel(ILinkStore store, Cursors cursors, TimeProvider time) : TenantPageModel
{
    public const int PageSize = 50;
    public const int MaxScanned = 5_000;

    public string? Query { get; private set; }

    public string? Tag { get; private set; }

    public string? Campaign { get; private set; }

    public List<Link> Links { get; } = [];

    public string? Next { get; private set; }

    public string? Note { get; private set; }

    public async Task OnGetAsync(string? q, string? tag, string? campaign, string? cursor, CancellationToken cancellationToken)
    {
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        Tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();
        Campaign = string.IsNullOrWhiteSpace(campaign) ? null : campaign.Trim();
        var key = Tenant.Slug + "/dashboard-links";
        string? after = null;
        try
        {
            after = Query is null ? cursors.Decode(key, cursor) : null;
        }
        catch (Core.Common.InvalidCursorException)
        {
            Note = "That page link is no longer valid; showing the newest links.";
        }

        var scanned = 0;
        while (true)
        {
            var page = await store.ListAsync(Tenant.Slug, new LinkQuery(after, Query is null ? PageSize : 500, Tag, Campaign), cancellationToken);
            scanned += page.Items.Count;
            Links.AddRange(Query is null ? page.Items : page.Items.Where(Matches).Take(PageSize - Links.Count));
            after = page.Next;
            if (Query is null)
            {
                Next = cursors.Encode(key, page.Next);
                return;
            }

            if (after is null || Links.Count >= PageSize)
            {
                return;
            }

            if (scanned >= MaxScanned)
            {
                Note = $"The text search read the newest {scanned:N0} links and stopped; add a tag or campaign to search further back.";
                return;
            }
        }
    }

    public string ShortUrl(string code) => $"{Request.Scheme}://{Request.Host}/{code}";

    public string State(Link link) =>
        link.Disabled ? "disabled" : link.ExpiresAt is { } at && at <= time.GetUtcNow() ? "expired" : link.ExpiresAt is not null ? "expires " + DashboardFormat.Time(link.ExpiresAt) : "live";

    private bool Matches(Link link) =>
        link.Code.Contains(Query!, StringComparison.OrdinalIgnoreCase)
        || link.Destination.Contains(Query!, StringComparison.OrdinalIgnoreCase)
        || link.Campaign?.Contains(Query!, StringComparison.OrdinalIgnoreCase) == true
        || link.Tags.Any(t => t.Contains(Query!, StringComparison.OrdinalIgnoreCase));
}
