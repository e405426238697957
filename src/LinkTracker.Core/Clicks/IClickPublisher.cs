namespace LinkTracker.Core.Clicks;

/// <summary>The edge's way out of its journal to the writers: a broker that has the clicks durably when the call returns.</summary>
public interface IClickPublisher
{
    /// <summary>Publishes one tenant's clicks as one message and waits for the broker's confirmation.</summary>
    /// <exception cref="Exception">Any failure: the broker refused, is unreachable, or did not confirm. The caller keeps the clicks and retries.</exception>
    Task PublishAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken);
}
