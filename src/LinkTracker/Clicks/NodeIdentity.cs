namespace LinkTracker.Clicks;

/// <summary>This process among the nodes of a deployment: a fresh id at each start (reports of a stopped process expire).</summary>
public sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";
}
