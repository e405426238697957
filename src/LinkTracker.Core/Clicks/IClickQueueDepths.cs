namespace LinkTracker.Core.Clicks;

/// <summary>How many click messages wait in the broker for a writer, per tenant (each holds at least one click).</summary>
public interface IClickQueueDepths
{
    Task<long> ReadyMessagesAsync(string tenant, CancellationToken cancellationToken);
}
