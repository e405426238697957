namespace LinkTracker.Segments;

/// <summary>
/// How one run went, for a slow-operation log: <paramref name="Shape"/> is the filter without its values
/// (e.g. "all(clicked,not(clicks))"); <paramref name="RowsRead"/> the engine's estimate of click rows read.
/// </summary>
public sealed record SegmentRunTiming(string Tenant, string SegmentId, string RunId, string Shape, string State, long DurationMs, long RowsRead, long? Recipients);
