namespace LinkTracker.Core.Segments;

/// <summary>Recipients with at least one click that are not in <paramref name="Filter"/>.</summary>
public sealed record NotFilter(SegmentFilter Filter) : SegmentFilter;
