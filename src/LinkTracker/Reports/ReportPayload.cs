namespace LinkTracker.Reports;

/// <summary>A report job's input: the local date, the zone that defines it, and whether to deliver the report to the webhook.</summary>
public sealed record ReportPayload(DateOnly Date, string TimeZone, bool Deliver);
