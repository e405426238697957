namespace LinkTracker.Core.Segments;

/// <summary>Recipients with at least one click that meets <paramref name="Conditions"/>.</summary>
public sealed record ClickedFilter(ClickConditions Conditions) : SegmentFilter;
