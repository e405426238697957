namespace LinkTracker.Core.Segments;

/// <summary>
/// A filter compiled for one engine: <paramref name="Sql"/> selects the distinct recipients (one column, recipient) and
/// names its values as @p0, @p1, ... in <paramref name="Parameters"/>; nothing the tenant wrote is in the text.
/// <paramref name="Shape"/> describes the tree without its values, for logs (e.g. "all(clicked,not(clicks))").
/// </summary>
public sealed record SegmentQuery(string Sql, IReadOnlyDictionary<string, object> Parameters, IReadOnlyList<SegmentScan> Scans, string Shape);
