namespace LinkTracker.Analytics;

/// <summary>
/// The range's clicks per value of one dimension (country, device, browser, os, referrer, reason), most clicks first,
/// from the breakdown rollups. Clicks without a value count under "(unknown)"; referrer "(direct)" has none; reason
/// "(human)" gathers the people's clicks.
/// </summary>
public sealed record StatsBreakdown(string Dimension, IReadOnlyList<BreakdownItem> Items);

public sealed record BreakdownItem(string Value, long Clicks, long HumanClicks);
