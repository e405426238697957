namespace LinkTracker.Core.Reports;

/// <summary>One link's clicks in a report's period; unique recipients are those of its human clicks.</summary>
public sealed record LinkClickCounts(string Code, long Clicks, long HumanClicks, long UniqueRecipients);
