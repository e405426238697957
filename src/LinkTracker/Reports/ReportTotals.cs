namespace LinkTracker.Reports;

/// <summary>The day's totals; <paramref name="NonHumanShare"/> is non-human clicks / clicks, rounded to 4 decimals (0 without clicks).</summary>
public sealed record ReportTotals(long Clicks, long HumanClicks, long NonHumanClicks, double NonHumanShare, long UniqueRecipients);
