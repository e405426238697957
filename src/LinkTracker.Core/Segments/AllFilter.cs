namespace LinkTracker.Core.Segments;

/// <summary>Recipients in every one of <paramref name="Filters"/>.</summary>
public sealed record AllFilter(IReadOnlyList<SegmentFilter> Filters) : SegmentFilter;
