namespace LinkTracker.Core.Webhooks;

/// <summary>Segments' schedules and webhooks, and the recipients one run has that another had not.</summary>
public interface ISegmentDeliveryStore
{
    Task<SegmentDelivery?> GetAsync(string tenant, string segmentId, CancellationToken cancellationToken);

    /// <summary>Replaces the segment's schedule and webhook.</summary>
    Task SaveAsync(string tenant, SegmentDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The deliveries of existing segments that have a schedule.</summary>
    Task<IReadOnlyList<SegmentDelivery>> ListScheduledAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Recipients of run <paramref name="runId"/> that run <paramref name="previousRunId"/> did not have (all of them
    /// without a previous run), in ordinal order, those after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ListNewRecipientsAsync(
        string tenant, string runId, string? previousRunId, string? after, int limit, CancellationToken cancellationToken);
}
