namespace LinkTracker.Core.Segments;

/// <summary>A saved search over the tenant's clicks; <paramref name="Filter"/> is the filter tree's JSON as validated.</summary>
public sealed record Segment(string Id, string Name, string Filter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
