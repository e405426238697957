using LinkTracker.Core.Common;

namespace LinkTracker.Core.Clicks;

/// <summary>A tenant's raw clicks and the rollups derived from them.</summary>
public interface IClickStore
{
    /// <summary>
    /// In one transaction: stores the clicks whose id is new and adds only those to the rollups,
    /// so writing the same clicks again changes no count.
    /// </summary>
    Task<ClickWriteResult> WriteAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken);

    Task<Page<Click>> ListAsync(string tenant, ClickQuery query, CancellationToken cancellationToken);
}
