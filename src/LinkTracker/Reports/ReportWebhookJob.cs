using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Reports;

/// <summary>
/// Delivers a stored report to the tenant's webhook. A job of its own, enqueued once the report is stored, so a failing
/// receiver is retried with the queue's backoff and ends in the dead letters without making the report again.
/// </summary>
public static class ReportWebhookJob
{
    public const string Type = "report-webhook";

    public static JobRequest For(string tenant, DateOnly date) =>
        new(Type, tenant, JsonSerializer.Serialize(new ReportWebhookPayload(date), ReportJob.Json), Id(tenant, date));

    /// <summary>Also sent as the X-LinkTracker-Delivery header: receivers can drop a delivery they already took.</summary>
    public static string Id(string tenant, DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant}:{date:yyyy-MM-dd}");
}
