using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// After a run stored its recipients and before it completes (while the previous completed run's recipients still
/// exist): enqueues the pages of recipients new in this run as webhook jobs, when the segment has a webhook.
/// </summary>
public sealed class SegmentWebhooks(ISegmentDeliveryStore deliveries, ISegmentStore segments, IJobQueue queue, IOptions<SegmentDeliveriesOptions> options)
{
    /// <returns>How many new recipients were enqueued for delivery (0 without a webhook).</returns>
    public async Task<long> EnqueueNewRecipientsAsync(string tenant, string segmentId, string runId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        if (await deliveries.GetAsync(tenant, segmentId, cancellationToken) is not { WebhookUrl: not null })
        {
            return 0;
        }

        var previous = (await segments.GetLastCompletedRunAsync(tenant, segmentId, cancellationToken))?.Id;
        var size = options.Value.PageSize;
        var pages = new List<JobRequest>();
        long count = 0;
        string? after = null;
        while (true)
        {
            // One more than a page: whether this page is the last is known without an empty page after it.
            var found = await deliveries.ListNewRecipientsAsync(tenant, runId, previous, after, size + 1, cancellationToken);
            var page = found.Take(size).ToList();
            var last = found.Count <= size;
            // A run with nothing new still sends one (empty, last) page: the receiver learns the run happened.
            pages.Add(SegmentWebhookJob.For(tenant, new SegmentWebhookPayload(segmentId, runId, previous, asOf, pages.Count, last, page)));
            count += page.Count;
            if (last)
            {
                break;
            }

            after = page[^1];
        }

        await queue.EnqueueManyAsync(pages, null, cancellationToken);
        return count;
    }
}
