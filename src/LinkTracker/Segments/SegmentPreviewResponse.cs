namespace LinkTracker.Segments;

/// <summary>What a run of the filter would cost now: the engine's estimate of click rows read, and whether that is allowed.</summary>
public sealed record SegmentPreviewResponse(long EstimatedRows, long MaxRowsPerRun, bool Allowed, string Shape, string? Message);
