using LinkTracker.Core.Common;

namespace LinkTracker.Core.Links;

/// <summary>A tenant's links. Deleted links keep their code so old clicks never attach to a new link.</summary>
public interface ILinkStore
{
    /// <summary>Inserts all links or none.</summary>
    /// <returns>The codes that are already taken (nothing was inserted when this is not empty).</returns>
    Task<IReadOnlyList<string>> InsertAsync(string tenant, IReadOnlyList<Link> links, CancellationToken cancellationToken);

    /// <summary>Whether the code is taken, by a live or a deleted link.</summary>
    Task<bool> ExistsAsync(string tenant, string code, CancellationToken cancellationToken);

    /// <summary>Every code the tenant has (live and deleted), passed to <paramref name="add"/> one by one.</summary>
    Task ReadCodesAsync(string tenant, Action<string> add, CancellationToken cancellationToken);

    /// <returns>The link, or null when it does not exist or was deleted.</returns>
    Task<Link?> FindAsync(string tenant, string code, CancellationToken cancellationToken);

    Task<Page<Link>> ListAsync(string tenant, LinkQuery query, CancellationToken cancellationToken);

    /// <returns>false when the link does not exist or was deleted.</returns>
    Task<bool> UpdateAsync(string tenant, Link link, CancellationToken cancellationToken);

    /// <returns>false when the link does not exist or was already deleted.</returns>
    Task<bool> DeleteAsync(string tenant, string code, DateTimeOffset at, CancellationToken cancellationToken);
}
