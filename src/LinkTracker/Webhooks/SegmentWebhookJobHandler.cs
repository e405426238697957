using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Webhooks;
using LinkTracker.Jobs;

namespace LinkTracker.Webhooks;

/// <summary>
/// POSTs one page of a run's new recipients to the segment's webhook, signed like the reports; the URL and secret are
/// read at each attempt, so a fix applies to retries, and a webhook removed meanwhile ends the job quietly.
/// </summary>
public sealed partial class SegmentWebhookJobHandler(ISegmentDeliveryStore deliveries, WebhookSender sender, ILogger<SegmentWebhookJobHandler> logger) : IJobHandler
{
    public const string EventName = "segment.recipients";

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A segment-webhook job names its tenant; this one names none.");
        var page = JsonSerializer.Deserialize<SegmentWebhookPayload>(job.Payload, ClickWebhookJobHandler.Json)
            ?? throw new InvalidOperationException("The segment-webhook job's payload is empty.");
        if (await deliveries.GetAsync(tenant, page.SegmentId, cancellationToken) is not { WebhookUrl: { } url, WebhookSecret: { } secret })
        {
            LogNoWebhook(logger, tenant, page.SegmentId, page.RunId);
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SegmentWebhookBody(EventName, tenant, page.SegmentId, page.RunId, page.PreviousRunId, page.AsOf, page.Page, page.LastPage, page.Recipients),
            ClickWebhookJobHandler.Json);
        await sender.SendAsync(url, secret, EventName, job.Id, body, "the page of recipients", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: new recipients of run {RunId} of segment {SegmentId} not delivered: the segment has no webhook any more")]
    private static partial void LogNoWebhook(ILogger logger, string tenant, string segmentId, string runId);
}
