namespace LinkTracker.Core.Segments;

/// <summary>
/// One read of the clicks table that a compiled filter makes: the clicks from <paramref name="From"/> (inclusive) to
/// <paramref name="To"/> (exclusive), of one link when <paramref name="Link"/> is set. The embedded engine's cost
/// estimate sums these rows from the hourly rollups (ADR 30).
/// </summary>
public sealed record SegmentScan(DateTimeOffset? From, DateTimeOffset? To, string? Link);
