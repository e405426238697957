namespace LinkTracker.Webhooks;

/// <summary>
/// The click webhook as stored. <paramref name="Secret"/> only in the answer to the PUT that made it. <paramref name="DeliveredThrough"/>:
/// clicks up to this instant were delivered (or did not match). <paramref name="Paused"/>: deliveries failed until the
/// job became a dead letter; nothing is skipped, and a PUT (or the operator's redrive) resumes from the cursor.
/// </summary>
public sealed record ClickWebhookResponse(
    string Url, IReadOnlyList<string> Campaigns, IReadOnlyList<string> Tags, string? Secret, DateTimeOffset DeliveredThrough, bool Paused, string? LastError,
    DateTimeOffset UpdatedAt);
