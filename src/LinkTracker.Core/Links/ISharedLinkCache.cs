namespace LinkTracker.Core.Links;

/// <summary>
/// The second-level link cache shared by every node (Redis in the distributed deployment). Invalidations are
/// broadcast, so each node can drop its own in-process copy at once.
/// </summary>
public interface ISharedLinkCache
{
    /// <returns>The entry, or null when the shared cache does not know the code either way.</returns>
    Task<SharedLink?> GetAsync(string tenant, string code, CancellationToken cancellationToken);

    Task SetAsync(string tenant, string code, SharedLink link, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes the entry and tells every subscribed node.</summary>
    Task InvalidateAsync(string tenant, string code, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onInvalidated"/> (tenant, code) for every invalidation, from any node.</summary>
    Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onRestored"/> each time the connection comes back after a loss: broadcasts may have been missed meanwhile.</summary>
    void OnConnectionRestored(Action onRestored);
}
