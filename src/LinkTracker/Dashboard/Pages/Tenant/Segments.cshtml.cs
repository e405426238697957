using LinkTracker.Core.Segments;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>The tenant's segments by id (as GET /api/segments), each with its last completed run's asOf and recipient count.</summary>
public sealed class SegmentsModel(ISegmentStore store) : TenantPageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<(Segment Segment, SegmentRun? LastRun)> Segments { get; private set; } = [];

    /// <summary>The id the next page starts after; null on the last page.</summary>
    public string? Next { get; private set; }

    public async Task OnGetAsync(string? after, CancellationToken cancellationToken)
    {
        var found = await store.ListAsync(Tenant.Slug, string.IsNullOrEmpty(after) ? null : after, PageSize + 1, cancellationToken);
        var rows = new List<(Segment, SegmentRun?)>();
        foreach (var segment in found.Take(PageSize))
        {
            rows.Add((segment, await store.GetLastCompletedRunAsync(Tenant.Slug, segment.Id, cancellationToken)));
        }

        Segments = rows;
        Next = found.Count > PageSize ? found[PageSize - 1].Id : null;
    }
}
