using System.Runtime.CompilerServices;
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
        var page = new List<string>(size);
        long count = 0;
        await foreach (var recipient in NewRecipientsAsync(tenant, runId, previous, cancellationToken))
        {
            if (page.Count == size)
            {
                pages.Add(SegmentWebhookJob.For(tenant, new SegmentWebhookPayload(segmentId, runId, previous, asOf, pages.Count, false, page)));
                page = new List<string>(size);
            }

            page.Add(recipient);
            count++;
        }

        // The last page says so; a run with nothing new still sends one (empty, last) page: the receiver learns the run happened.
        pages.Add(SegmentWebhookJob.For(tenant, new SegmentWebhookPayload(segmentId, runId, previous, asOf, pages.Count, true, page)));
        await queue.EnqueueManyAsync(pages, null, cancellationToken);
        return count;
    }

    /// <summary>
    /// The recipients of <paramref name="runId"/> that <paramref name="previousRunId"/> did not have (all of them
    /// without a previous run), in order: both runs' stored recipients read in order and merged.
    /// </summary>
    private async IAsyncEnumerable<string> NewRecipientsAsync(
        string tenant, string runId, string? previousRunId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var before = previousRunId is null ? null : new RecipientReader(segments, tenant, previousRunId);
        var current = new RecipientReader(segments, tenant, runId);
        while (await current.NextAsync(cancellationToken) is { } recipient)
        {
            if (before is null || !await before.SkipToAsync(recipient, cancellationToken))
            {
                yield return recipient;
            }
        }
    }

    /// <summary>One run's stored recipients in order, read a page at a time.</summary>
    private sealed class RecipientReader(ISegmentStore segments, string tenant, string runId)
    {
        private IReadOnlyList<string> _buffer = [];
        private int _next;
        private bool _done;

        public async Task<string?> NextAsync(CancellationToken cancellationToken) =>
            await FillAsync(cancellationToken) ? _buffer[_next++] : null;

        /// <summary>Moves past every recipient before <paramref name="wanted"/>; true when the run has it.</summary>
        public async Task<bool> SkipToAsync(string wanted, CancellationToken cancellationToken)
        {
            while (await FillAsync(cancellationToken))
            {
                var order = RecipientPages.Order.Compare(_buffer[_next], wanted);
                if (order >= 0)
                {
                    return order == 0;
                }

                _next++;
            }

            return false;
        }

        /// <returns>false when the run has no more recipients.</returns>
        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_next < _buffer.Count)
            {
                return true;
            }

            if (_done)
            {
                return false;
            }

            var after = _buffer.Count == 0 ? null : _buffer[^1];
            _buffer = await segments.ListRecipientsAsync(tenant, runId, after, RecipientPages.Size, cancellationToken);
            _next = 0;
            _done = _buffer.Count < RecipientPages.Size;
            return _buffer.Count > 0;
        }
    }
}
