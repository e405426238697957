namespace LinkTracker.Reports;

/// <summary>One link's day; unique recipients are the distinct recipients of its human clicks.</summary>
public sealed record LinkReportRow(string Code, long Clicks, long HumanClicks, long NonHumanClicks, double NonHumanShare, long UniqueRecipients);
