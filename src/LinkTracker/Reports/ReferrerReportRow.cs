namespace LinkTracker.Reports;

/// <summary>Clicks from one referring host, "(direct)" without a referrer, "(other)" when the referrer is no URL with a host.</summary>
public sealed record ReferrerReportRow(string Referrer, long Clicks);
