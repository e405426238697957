namespace LinkTracker.Core.Segments;

/// <summary>
/// A node of a segment's filter tree: a set of recipients of the tenant's clicks. Parsed from JSON by
/// <see cref="SegmentFilterParser"/>, compiled to SQL by <see cref="SegmentSql"/>; never SQL text itself.
/// </summary>
public abstract record SegmentFilter;
