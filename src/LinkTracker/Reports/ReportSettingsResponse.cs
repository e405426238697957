namespace LinkTracker.Reports;

/// <summary>The settings as stored; <paramref name="WebhookSecret"/> only in the answer to the PUT that made it, never again.</summary>
public sealed record ReportSettingsResponse(
    string TimeZone, string? WebhookUrl, bool WebhookSecretSet, string? WebhookSecret, DateTimeOffset? UpdatedAt, string? LegacyBaseUrl = null,
    string? NotFoundUrl = null, string? GoneUrl = null);
