namespace LinkTracker.Core.Segments;

/// <summary>
/// A filter compiled for one engine: <paramref name="Sql"/> selects the distinct recipients (one column, recipient) and
/// names its values as @p0, @p1, ... in <paramref name="Parameters"/>; nothing the tenant wrote is in the text.
/// <paramref name="Shape"/> describes the tree without its values, for logs (e.g. "all(clicked,not(clicks))").
/// </summary>
public sealed record SegmentQuery(string Sql, IReadOnlyDictionary<string, object> Parameters, IReadOnlyList<SegmentScan> Scans, string Shape)
{
    /// <summary>
    /// The same tree with only the conditions that choose what is read (window, link, campaign, tag): an engine's plan of
    /// it counts the rows read, where a plan of <see cref="Sql"/> counts the rows left after the other conditions filter.
    /// </summary>
    public SegmentQuery? Reads { get; init; }

    /// <summary>Whether the SQL reads signed_links (a campaign condition), which a tenant schema has from migration 0011 on.</summary>
    public bool ReadsSignedLinks { get; init; }

    /// <summary>
    /// Whether the SQL is one "at least N clicks" predicate whose every condition the tenant's recipient index holds
    /// (window and human; ADR 31): with the index, the clicks are read in recipient order and grouped without a hash
    /// table or temporary B-tree of every recipient.
    /// </summary>
    public bool GroupsInRecipientOrder { get; init; }

    /// <summary>
    /// On SQLite, for a query that <see cref="GroupsInRecipientOrder"/>: the same SQL with the term the recipient index is
    /// partial on (<see cref="SegmentSql.SqliteRecipientIndexTerm"/>), same parameters, for the store to run when the index
    /// exists and pays.
    /// </summary>
    public string? SqliteRecipientIndexSql { get; init; }
}
