namespace LinkTracker.Analytics;

/// <summary>
/// Counts from the hourly rollups. uniqueRecipients counts recipients whose first human click on this scope
/// (tenant, campaign or link) falls in the bucket or range: over all time it is the exact number of distinct
/// recipients; over a range, the recipients new in that range.
/// </summary>
public sealed record StatsResponse(
    string Scope,
    string? Name,
    DateTimeOffset From,
    DateTimeOffset To,
    Granularity Granularity,
    StatsTotals Totals,
    IReadOnlyList<StatsBucket> Series,
    Freshness Freshness,
    StatsBreakdown? Breakdown = null);

public sealed record StatsTotals(long Clicks, long HumanClicks, long UniqueRecipients);

public sealed record StatsBucket(DateTimeOffset Start, long Clicks, long HumanClicks, long UniqueRecipients);

/// <summary>How far behind the counts are: clicks redirected but not yet written, and the age of the oldest.</summary>
public sealed record Freshness(DateTimeOffset AsOf, long PendingClicks, double LagSeconds);
