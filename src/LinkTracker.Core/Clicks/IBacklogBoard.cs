namespace LinkTracker.Core.Clicks;

/// <summary>
/// Where each node of the distributed deployment says which clicks it holds (an edge: its journal; a writer: the
/// deliveries in its hands), so that an api node can tell tenants how many clicks wait. Each report expires on its
/// own: a node that stopped reporting stops counting.
/// </summary>
public interface IBacklogBoard
{
    Task PublishAsync(string node, IReadOnlyDictionary<string, WaitingClicks> held, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Every live report but <paramref name="exceptNode"/>'s, per tenant.</summary>
    Task<IReadOnlyList<IReadOnlyDictionary<string, WaitingClicks>>> ReadAsync(string exceptNode, CancellationToken cancellationToken);
}
