using System.Text.Json;

namespace LinkTracker.Segments;

/// <summary>The body of POST /api/segments, and of PATCH (where each field is optional and only those given change).</summary>
public sealed record SegmentRequest(string? Name, JsonElement? Filter);
