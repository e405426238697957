using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>Drops this node's copy of a link whenever any node changes it, and everything after the shared cache was lost a while.</summary>
internal sealed class SharedLinkCacheSubscriber(ISharedLinkCache shared, LinkCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        shared.OnConnectionRestored(cache.SharedCacheRestored);
        return shared.SubscribeAsync(cache.InvalidateLocal, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
