namespace LinkTracker.Core.Webhooks;

/// <summary>
/// A tenant's click webhook and its delivery cursor, in the tenant's own database, and the stored clicks after the
/// cursor. Which clicks match and when the cursor may move are decided by the caller.
/// </summary>
public interface IClickWebhookStore
{
    /// <returns>The tenant's click webhook; null when none is set.</returns>
    Task<ClickWebhook?> GetAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the webhook's URL, secret and filters. The cursor is kept when a webhook was already set, and set to
    /// <paramref name="webhook"/>'s otherwise (a new webhook starts with the clicks stored from then on).
    /// </summary>
    /// <returns>The webhook as stored (with the cursor it has).</returns>
    Task<ClickWebhook> SaveAsync(string tenant, ClickWebhook webhook, CancellationToken cancellationToken);

    /// <summary>Removes the webhook (and so its cursor).</summary>
    /// <returns>false when none was set.</returns>
    Task<bool> RemoveAsync(string tenant, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stored clicks with <paramref name="after"/> &lt; id &lt; <paramref name="before"/>, by id, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookClick>> ReadClicksAsync(string tenant, Guid after, Guid before, int limit, CancellationToken cancellationToken);

    /// <summary>Moves the cursor from <paramref name="from"/> to <paramref name="to"/>, only if it is still at <paramref name="from"/>.</summary>
    /// <returns>false when the cursor had moved or the webhook was removed meanwhile (nothing changed).</returns>
    Task<bool> AdvanceAsync(string tenant, Guid from, Guid to, CancellationToken cancellationToken);
}
