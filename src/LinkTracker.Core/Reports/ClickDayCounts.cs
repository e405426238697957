namespace LinkTracker.Core.Reports;

/// <summary>The raw counts of a report's period: totals, per link, and per exact referrer (null: none sent), in no particular order.</summary>
public sealed record ClickDayCounts(
    long Clicks,
    long HumanClicks,
    long UniqueRecipients,
    IReadOnlyList<LinkClickCounts> Links,
    IReadOnlyList<ReferrerClickCount> Referrers);
