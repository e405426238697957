namespace LinkTracker.Reports;

/// <summary>
/// A report-schedule job's input: the instant the days are judged at (ended or not), and when the tenant was created,
/// before which there is nothing to report.
/// </summary>
public sealed record ReportSchedulePayload(DateTimeOffset AsOf, DateTimeOffset TenantCreatedAt);
