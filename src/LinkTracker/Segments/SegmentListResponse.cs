namespace LinkTracker.Segments;

public sealed record SegmentListResponse(IReadOnlyList<SegmentResponse> Items, string? Next);
