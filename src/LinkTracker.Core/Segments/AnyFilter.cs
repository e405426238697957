namespace LinkTracker.Core.Segments;

/// <summary>Recipients in at least one of <paramref name="Filters"/>.</summary>
public sealed record AnyFilter(IReadOnlyList<SegmentFilter> Filters) : SegmentFilter;
