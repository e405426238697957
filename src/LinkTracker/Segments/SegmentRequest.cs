using System.Text.Json;

namespace LinkTracker.Segments;

/// <summary>
/// The body of POST /api/segments, and of PATCH (where each field is optional and only those given change). PATCH also
/// takes <see cref="Schedule"/> ("daily", or null to stop) and <see cref="Webhook"/> ({"url": ...}, or null to remove).
/// </summary>
public sealed record SegmentRequest(string? Name, JsonElement? Filter)
{
    // Properties, not constructor parameters with a default: an absent field stays Undefined (unlike JSON null), and the
    // OpenAPI schema exporter cannot write an Undefined JsonElement as a parameter's default value.

    /// <summary>"daily", or JSON null to stop the schedule; absent leaves it as it is.</summary>
    public JsonElement Schedule { get; init; }

    /// <summary>{"url": ...}, or JSON null to remove the webhook; absent leaves it as it is.</summary>
    public JsonElement Webhook { get; init; }
}
