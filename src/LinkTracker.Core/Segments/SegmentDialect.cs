namespace LinkTracker.Core.Segments;

/// <summary>The SQL engine a filter is compiled for.</summary>
public enum SegmentDialect
{
    Sqlite,
    Postgres,
}
