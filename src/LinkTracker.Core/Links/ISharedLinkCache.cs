namespace LinkTracker.Core.Links;

/// <summary>
/// The second-level link cache shared by every node (Redis in the distributed deployment). Each code has a generation
/// that every change bumps; a node reads it before loading a link and stores what it loaded only if it is unchanged, so
/// a load that raced a change never puts the old link back (ADR 0021). Invalidations are broadcast and confirmed.
/// </summary>
public interface ISharedLinkCache
{
    /// <returns>The entry (null when the shared cache does not know the code either way) and the code's generation now.</returns>
    Task<SharedLinkRead> GetAsync(string tenant, string code, CancellationToken cancellationToken);

    /// <summary>Stores the entry only if the code's generation is still <paramref name="generation"/>.</summary>
    /// <returns>Whether it was stored (false: the link changed since the generation was read).</returns>
    Task<bool> SetAsync(string tenant, string code, SharedLink link, long generation, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>
    /// Bumps the code's generation, removes the entry and tells every subscribed node; returns once they confirmed they
    /// dropped their copy (or after the configured wait, for a node that does not answer).
    /// </summary>
    /// <returns>Whether every node that received the broadcast confirmed it within the wait.</returns>
    Task<bool> InvalidateAsync(string tenant, string code, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onInvalidated"/> (tenant, code) for every invalidation, from any node, then confirms it.</summary>
    Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onRestored"/> each time the connection comes back after a loss: broadcasts may have been missed meanwhile.</summary>
    void OnConnectionRestored(Action onRestored);

    /// <summary>
    /// A round trip over the connection invalidations arrive on: when it returns, every invalidation broadcast before
    /// it was sent has been delivered to this node.
    /// </summary>
    Task PingAsync(CancellationToken cancellationToken);
}
