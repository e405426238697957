using LinkTracker.Core.Links;
using Microsoft.Extensions.Options;

namespace LinkTracker.Links;

/// <summary>
/// Drops this node's copy of a link whenever any node changes it, and everything after the shared cache was lost a
/// while. Pings the broadcast connection several times per stale bound: each answer tells the cache that every change
/// broadcast before the ping has reached this node, so it may go on trusting what it holds.
/// </summary>
internal sealed partial class SharedLinkCacheSubscriber(
    ISharedLinkCache shared, LinkCache cache, IOptions<LinkCacheOptions> options, TimeProvider time, ILogger<SharedLinkCacheSubscriber> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        shared.OnConnectionRestored(cache.SharedCacheRestored);
        await shared.SubscribeAsync(cache.InvalidateLocal, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.StaleBoundWhenSharedCacheDown / 4;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sentAt = time.GetTimestamp();
            try
            {
                await shared.PingAsync(stoppingToken);
                cache.SharedCacheConfirmed(sentAt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPingFailed(logger, ex);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The shared link cache did not answer a ping; cached links are trusted for the stale bound only")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);
}
