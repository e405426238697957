using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Webhooks;

/// <summary>Delivers one page of a segment run's new recipients; its id (tenant, run, page) is also the delivery id receivers dedupe by.</summary>
public static class SegmentWebhookJob
{
    public const string Type = "segment-webhook";

    public static JobRequest For(string tenant, SegmentWebhookPayload page) => new(
        Type,
        tenant,
        JsonSerializer.Serialize(page, ClickWebhookJobHandler.Json),
        string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant}:{page.RunId}:{page.Page}"));
}
