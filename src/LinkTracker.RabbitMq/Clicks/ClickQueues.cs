namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// The broker topology for clicks, declared the same way by edges and writers: one durable quorum queue per tenant
/// (so writers can serve tenants in turn, as from the local journal), and one queue for messages no writer can read.
/// </summary>
public sealed class ClickQueues(string prefix)
{
    /// <summary>The content type of every click message an edge publishes.</summary>
    public const string ContentType = "application/x-linktracker-clicks";

    public string Prefix { get; } = prefix;

    /// <summary>Where undecodable messages go (rejected by a writer), kept for an operator to inspect.</summary>
    public string Dead => $"{Prefix}.clicks.dead";

    public string For(string tenant) => $"{Prefix}.clicks.t.{tenant}";

    /// <summary>The tenant whose click queue <paramref name="queue"/> is, or null for any other queue.</summary>
    public string? TenantOf(string? queue) =>
        queue is not null && queue.StartsWith(For(""), StringComparison.Ordinal) && queue.Length > For("").Length ? queue[For("").Length..] : null;

    /// <summary>Declare arguments; RabbitMQ refuses a second declaration with different ones, so both sides use these.</summary>
    public IDictionary<string, object?> TenantQueueArguments() => new Dictionary<string, object?>
    {
        ["x-queue-type"] = "quorum",
        ["x-dead-letter-exchange"] = "",
        ["x-dead-letter-routing-key"] = Dead,
    };

    public static IDictionary<string, object?> DeadQueueArguments() => new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
}
