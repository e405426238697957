using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>Where the link cache goes on a miss: the tenant's store, or on an edge node the api nodes.</summary>
public interface ILinkLookup
{
    /// <returns>The link as the redirect needs it; <see cref="SharedLink.Missing"/> when the tenant has no such code.</returns>
    Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken);
}
