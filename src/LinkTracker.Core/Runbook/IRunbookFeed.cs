namespace LinkTracker.Core.Runbook;

/// <summary>
/// Carries runbook evidence (slow operations, tenant activity) between the nodes of the distributed deployment, so the
/// doctor, /ops/slow and the insights on any node see what every node did: the writer's time is on workers, unknown
/// codes on edges, stats queries and link creations on api nodes.
/// </summary>
public interface IRunbookFeed
{
    /// <summary>Sends to every node listening; never waits for them, never throws.</summary>
    void Publish(string message);

    /// <summary>Calls <paramref name="handler"/> with every message published from now on (this node's own included).</summary>
    Task SubscribeAsync(Action<string> handler, CancellationToken cancellationToken);
}
