using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Webhooks;
using LinkTracker.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// Delivers a tenant's stored clicks after its cursor, up to the <see cref="DeliveryHorizon"/>: reads a batch, POSTs the
/// matching ones signed (<see cref="WebhookSender"/>), and moves the cursor past the batch only after a 2xx. A failed POST
/// throws with the cursor unmoved, so the queue's retry sends the same batch again: at least once, never a gap.
/// </summary>
public sealed partial class ClickWebhookJobHandler(
    IClickWebhookStore store,
    WebhookSender sender,
    DeliveryHorizon horizon,
    IOptions<ClickWebhooksOptions> options,
    ILogger<ClickWebhookJobHandler> logger) : IJobHandler
{
    public const string EventName = "link.clicked";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A click-webhook job names its tenant; this one names none.");
        await DeliverAsync(tenant, cancellationToken);
    }

    /// <returns>How many clicks were sent.</returns>
    public async Task<int> DeliverAsync(string tenant, CancellationToken cancellationToken)
    {
        var sent = 0;
        var before = ClickIdBounds.SmallestAt(await horizon.ForTenantAsync(tenant, cancellationToken));
        for (var batch = 0; batch < options.Value.MaxBatchesPerRun; batch++)
        {
            if (await store.GetAsync(tenant, cancellationToken) is not { } webhook)
            {
                return sent; // none set, or removed meanwhile
            }

            var clicks = await store.ReadClicksAsync(tenant, webhook.Cursor, before, options.Value.BatchSize, cancellationToken);
            if (clicks.Count == 0)
            {
                return sent;
            }

            var events = clicks.Where(c => ClickWebhookFilter.Matches(webhook, c)).Select(ClickEvent.From).ToList();
            if (events.Count > 0)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new ClickBatchBody(EventName, tenant, events), Json);
                // The same batch (cursor and last click) gets the same delivery id on every retry.
                var delivery = $"{ClickWebhookJob.Type}:{tenant}:{webhook.Cursor}:{clicks[^1].Click.Id}";
                await sender.SendAsync(webhook.Url, webhook.Secret, EventName, delivery, body, "the batch", cancellationToken);
                sent += events.Count;
                LogDelivered(logger, tenant, events.Count, clicks.Count);
            }

            if (!await store.AdvanceAsync(tenant, webhook.Cursor, clicks[^1].Click.Id, cancellationToken))
            {
                return sent; // the webhook was replaced or removed meanwhile; the next job starts from what is stored
            }

            if (clicks.Count < options.Value.BatchSize)
            {
                return sent;
            }
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {Tenant}: {Count} link.clicked events delivered, of {Read} stored clicks read")]
    private static partial void LogDelivered(ILogger logger, string tenant, int count, int read);
}
