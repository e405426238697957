using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>
/// How many of a tenant's clicks wait to be stored, asked where they wait: this node's journal; in the distributed
/// deployment also the other nodes' reports (edges' journals, the deliveries writers hold) and the broker's ready
/// messages, each counted as one click (a lower bound: a message holds one or more). Reports are at most a second
/// old: a click captured in the last second, or a delivery just handed from the broker to a writer, may be missed for
/// that long; a click on its way between two places may be counted twice for a moment.
/// </summary>
public sealed class ClickBacklog(PendingClicks pending, IClickJournal journal, NodeIdentity node, IBacklogBoard? board = null, IClickQueueDepths? queues = null)
{
    public async Task<(long Clicks, DateTimeOffset? Oldest)> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var local = pending.For(tenant);
        var waiting = local == 0
            ? default
            : new WaitingClicks(local, (await journal.OldestPendingAsync(tenant, cancellationToken))?.ToUnixTimeMilliseconds() ?? 0);
        foreach (var report in await ReportsAsync(cancellationToken))
        {
            waiting += report.GetValueOrDefault(tenant);
        }

        var clicks = waiting.Clicks + (queues is null ? 0 : await queues.ReadyMessagesAsync(tenant, cancellationToken));
        return (clicks, waiting.Clicks == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(waiting.OldestMs));
    }

    /// <summary>Per tenant, what this node's journal and the other nodes' reports hold (without the broker's queues).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ByTenantAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(pending.Snapshot(), StringComparer.Ordinal);
        foreach (var report in await ReportsAsync(cancellationToken))
        {
            foreach (var (tenant, waiting) in report)
            {
                counts[tenant] = counts.GetValueOrDefault(tenant) + waiting.Clicks;
            }
        }

        return counts;
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, WaitingClicks>>> ReportsAsync(CancellationToken cancellationToken)
    {
        if (board is null)
        {
            return [];
        }

        try
        {
            return await board.ReadAsync(node.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return []; // Redis down: what this node knows itself
        }
    }
}
