namespace LinkTracker.Core.Webhooks;

/// <summary>
/// How a segment runs by itself and where its new recipients go: <paramref name="Schedule"/> ("daily" or null) and a
/// webhook that receives, after each completed run, the recipients the previous completed run did not have.
/// </summary>
public sealed record SegmentDelivery(string SegmentId, string? Schedule, string? WebhookUrl, string? WebhookSecret, DateTimeOffset UpdatedAt);
