namespace LinkTracker.Core.Webhooks;

/// <summary>
/// A tenant's click webhook: where link.clicked events go, signed with <paramref name="Secret"/> (as stored, protected),
/// the campaigns and tags that select clicks (empty: all), and <paramref name="Cursor"/>, the id of the last stored click
/// already delivered or skipped (click ids are UUIDv7, so they sort by time).
/// </summary>
public sealed record ClickWebhook(
    string Url,
    string Secret,
    IReadOnlyList<string> Campaigns,
    IReadOnlyList<string> Tags,
    Guid Cursor,
    DateTimeOffset UpdatedAt);
