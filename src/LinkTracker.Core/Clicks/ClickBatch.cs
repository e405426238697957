namespace LinkTracker.Core.Clicks;

/// <summary>
/// One tenant's clicks taken from an <see cref="IClickInbox"/>. They stay owed until acknowledged: a batch that is
/// never acknowledged (the process died, the connection dropped) is delivered again, which the idempotent store absorbs.
/// </summary>
public abstract class ClickBatch(string tenant, IReadOnlyList<Click> clicks)
{
    public string Tenant { get; } = tenant;

    public IReadOnlyList<Click> Clicks { get; } = clicks;

    /// <summary>Call after the clicks are committed to the tenant's database.</summary>
    public abstract Task AcknowledgeAsync(CancellationToken cancellationToken);
}
