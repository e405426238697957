namespace LinkTracker.Reports;

/// <summary>A webhook job's input: which stored report to send. The URL and secret are read at each attempt, so a fix or a rotation applies to retries.</summary>
public sealed record ReportWebhookPayload(DateOnly Date);
