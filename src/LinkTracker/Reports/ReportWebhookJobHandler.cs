using System.Text;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Jobs;
using LinkTracker.Webhooks;

namespace LinkTracker.Reports;

/// <summary>
/// POSTs a stored report to the tenant's webhook, signed, through <see cref="WebhookSender"/>: anything but a 2xx throws,
/// so the queue retries with backoff and finally dead-letters it.
/// Delivery is at least once: receivers drop repeats by the X-LinkTracker-Delivery header.
/// </summary>
public sealed partial class ReportWebhookJobHandler(IReportStore store, WebhookSender sender, ILogger<ReportWebhookJobHandler> logger) : IJobHandler
{
    public const string EventName = "report.daily";

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A report-webhook job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<ReportWebhookPayload>(job.Payload, ReportJob.Json)
            ?? throw new InvalidOperationException("The report-webhook job's payload is empty; it should be {\"date\": \"yyyy-MM-dd\"}.");
        var settings = await store.GetSettingsAsync(tenant, cancellationToken);
        if (settings?.WebhookUrl is not { } url || settings.WebhookSecret is not { } secret)
        {
            // The tenant removed its webhook since the report was made: nothing to deliver, nothing to retry.
            LogNoWebhook(logger, tenant, payload.Date);
            return;
        }

        var report = await store.GetReportAsync(tenant, payload.Date, cancellationToken) ?? throw new InvalidOperationException(
            $"No report of {payload.Date:yyyy-MM-dd} is stored for tenant '{tenant}', so there is nothing to deliver; make it with POST /api/reports.");
        // The stored content goes in as it is, so the receiver gets the very bytes GET /api/reports/{date} serves.
        var body = Encoding.UTF8.GetBytes(
            $"{{\"event\":\"{EventName}\",\"tenant\":{JsonSerializer.Serialize(tenant)},\"date\":\"{payload.Date:yyyy-MM-dd}\",\"report\":{report.Content}}}");
        var target = WebhookSender.Redacted(url);
        await sender.SendAsync(url, secret, EventName, job.Id, body, "the report", cancellationToken);
        LogDelivered(logger, tenant, payload.Date, target, job.Attempt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of tenant {Tenant} for {Date:yyyy-MM-dd} delivered to {Target} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string tenant, DateOnly date, string target, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of tenant {Tenant} for {Date:yyyy-MM-dd} not delivered: the tenant has no webhook any more")]
    private static partial void LogNoWebhook(ILogger logger, string tenant, DateOnly date);
}
