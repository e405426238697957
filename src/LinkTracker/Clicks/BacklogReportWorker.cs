using LinkTracker.Core.Clicks;
using LinkTracker.RabbitMq.Clicks;

namespace LinkTracker.Clicks;

/// <summary>
/// Every second, tells the backlog board which clicks this node holds: its journal's waiting clicks (an edge) and the
/// deliveries its writer holds (a worker on the broker), so api nodes can answer stats freshness for the fleet.
/// </summary>
public sealed partial class BacklogReportWorker(
    IBacklogBoard board,
    NodeIdentity node,
    IClickJournal journal,
    TimeProvider time,
    ILogger<BacklogReportWorker> logger,
    IClickInbox? inbox = null) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await board.PublishAsync(node.Id, await HeldAsync(stoppingToken), TimeToLive, stoppingToken);
                failing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (!failing)
                {
                    LogReportFailed(logger, ex);
                }

                failing = true;
            }

            try
            {
                await Task.Delay(Every, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, WaitingClicks>> HeldAsync(CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, WaitingClicks>(StringComparer.Ordinal);
        foreach (var (tenant, clicks) in journal.CountPending())
        {
            var oldest = await journal.OldestPendingAsync(tenant, cancellationToken);
            held[tenant] = new WaitingClicks(clicks, oldest?.ToUnixTimeMilliseconds() ?? 0);
        }

        if (inbox is RabbitMqClickInbox broker)
        {
            foreach (var (tenant, waiting) in broker.Held())
            {
                held[tenant] = held.GetValueOrDefault(tenant) + waiting;
            }
        }

        return held;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report this node's waiting clicks to Redis; api nodes' stats freshness misses them until it works again")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
