using System.Text.Json;
using LinkTracker.Core.Segments;

namespace LinkTracker.Segments;

public sealed record SegmentResponse(string Id, string Name, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string RunsUrl, string RecipientsUrl)
{
    public static SegmentResponse From(Segment segment)
    {
        using var filter = JsonDocument.Parse(segment.Filter);
        return new(segment.Id, segment.Name, filter.RootElement.Clone(), segment.CreatedAt, segment.UpdatedAt,
            $"/api/segments/{segment.Id}/runs", $"/api/segments/{segment.Id}/recipients");
    }
}
