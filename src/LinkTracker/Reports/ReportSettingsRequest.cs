namespace LinkTracker.Reports;

/// <summary>
/// PUT /api/settings replaces the settings: an absent time zone is UTC, an absent webhook URL removes the webhook
/// and its secret. A secret is made when a webhook is first set, and again when <paramref name="RotateWebhookSecret"/> is true.
/// An absent <paramref name="LegacyBaseUrl"/> turns the legacy fallback off (docs/migrate.md); an absent
/// <paramref name="NotFoundUrl"/> or <paramref name="GoneUrl"/> brings back the 404 or 410 page (docs/links.md).
/// </summary>
public sealed record ReportSettingsRequest(string? TimeZone, string? WebhookUrl, bool RotateWebhookSecret = false, string? LegacyBaseUrl = null,
    string? NotFoundUrl = null, string? GoneUrl = null);
