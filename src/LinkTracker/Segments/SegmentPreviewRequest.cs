using System.Text.Json;

namespace LinkTracker.Segments;

public sealed record SegmentPreviewRequest(JsonElement? Filter);
