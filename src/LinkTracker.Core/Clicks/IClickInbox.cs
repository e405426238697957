namespace LinkTracker.Core.Clicks;

/// <summary>
/// Where the writer takes clicks from, tenant by tenant so it can serve tenants in turn: the local journal in the
/// embedded deployment, the broker's per-tenant queues in the distributed one.
/// </summary>
public interface IClickInbox
{
    /// <summary>Starts receiving (connects, subscribes); call once before the first <see cref="TenantsWithWork"/>.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Tenants with clicks ready to take, in a stable order for round-robin.</summary>
    IReadOnlyList<string> TenantsWithWork();

    /// <summary>Waits until clicks arrive, or the timeout passes.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's oldest clicks, at most <paramref name="max"/>; null when it has none
    /// now. They stay first in line until acknowledged: taking again before that returns them again (a retry after a
    /// failed write), possibly with more behind them.
    /// </summary>
    Task<ClickBatch?> TakeAsync(string tenant, int max, CancellationToken cancellationToken);

    /// <summary>When the oldest click waiting here happened; null when none waits. Feeds the writer-lag metric.</summary>
    Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken);
}
