namespace LinkTracker.Webhooks;

/// <summary>
/// PUT /api/webhooks/clicks replaces the click webhook: where link.clicked events go and which clicks (campaigns and/or
/// tags of their link; absent or empty: every click). A secret is made when the webhook is first set, and again when
/// <paramref name="RotateSecret"/> is true; the delivery cursor is kept while a webhook stays set.
/// </summary>
public sealed record ClickWebhookRequest(string? Url, string[]? Campaigns = null, string[]? Tags = null, bool RotateSecret = false);
