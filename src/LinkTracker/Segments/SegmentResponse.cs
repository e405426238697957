using System.Text.Json;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Webhooks;

namespace LinkTracker.Segments;

/// <summary>A segment; <paramref name="Schedule"/> and <paramref name="WebhookUrl"/> on GET and PATCH of one segment, <paramref name="WebhookSecret"/> only when a PATCH made it.</summary>
public sealed record SegmentResponse(
    string Id, string Name, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string RunsUrl, string RecipientsUrl,
    string? Schedule = null, string? WebhookUrl = null, string? WebhookSecret = null)
{
    public static SegmentResponse From(Segment segment, SegmentDelivery? delivery = null, string? newSecret = null)
    {
        using var filter = JsonDocument.Parse(segment.Filter);
        return new(segment.Id, segment.Name, filter.RootElement.Clone(), segment.CreatedAt, segment.UpdatedAt,
            $"/api/segments/{segment.Id}/runs", $"/api/segments/{segment.Id}/recipients", delivery?.Schedule, delivery?.WebhookUrl, newSecret);
    }
}
