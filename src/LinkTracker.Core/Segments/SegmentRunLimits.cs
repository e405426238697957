namespace LinkTracker.Core.Segments;

/// <summary>
/// What one segment query (its estimate and its run) may take: <paramref name="StatementTimeout"/> before the engine
/// stops it (Segments:StatementTimeout), and on PostgreSQL the <paramref name="WorkMemoryMegabytes"/> its sorts and
/// hash aggregates may hold before spilling to disk (work_mem, Segments:WorkMemoryMegabytes; SQLite has no such knob).
/// </summary>
public sealed record SegmentRunLimits(TimeSpan StatementTimeout, int WorkMemoryMegabytes);
