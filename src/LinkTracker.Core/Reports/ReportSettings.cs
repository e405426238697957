namespace LinkTracker.Core.Reports;

/// <summary>
/// How a tenant's reports are made and delivered: the IANA time zone whose days they cover, and the webhook that
/// receives each daily report, signed with <paramref name="WebhookSecret"/> (kept readable: signing needs it).
/// </summary>
public sealed record ReportSettings(string TimeZone, string? WebhookUrl, string? WebhookSecret, DateTimeOffset UpdatedAt)
{
    public const string DefaultTimeZone = "UTC";
}
