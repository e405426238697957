using LinkTracker.Core.Legacy;

namespace LinkTracker.Legacy;

/// <summary>Where the redirect path reads a tenant's legacy settings and learns links: the store, or on an edge node the api nodes.</summary>
public interface ILegacySource
{
    /// <returns>The tenant's legacy base URL and not-found/gone addresses (each null when not set).</returns>
    Task<LegacySourceResponse> FindSettingsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Stores the link the legacy system answered with, and makes every node's link cache forget its miss.</summary>
    /// <returns>Whether the link was added (false when the code was taken meanwhile).</returns>
    Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken);
}
