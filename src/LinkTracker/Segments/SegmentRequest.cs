using System.Text.Json;

namespace LinkTracker.Segments;

/// <summary>
/// The body of POST /api/segments, and of PATCH (where each field is optional and only those given change). PATCH also
/// takes <paramref name="Schedule"/> ("daily", or null to stop) and <paramref name="Webhook"/> ({"url": ...}, or null to remove).
/// </summary>
public sealed record SegmentRequest(string? Name, JsonElement? Filter, JsonElement Schedule = default, JsonElement Webhook = default);
