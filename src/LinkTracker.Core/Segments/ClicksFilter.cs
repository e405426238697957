namespace LinkTracker.Core.Segments;

/// <summary>Recipients with at least <paramref name="AtLeast"/> clicks that meet <paramref name="Conditions"/>.</summary>
public sealed record ClicksFilter(int AtLeast, ClickConditions Conditions) : SegmentFilter;
