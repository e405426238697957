namespace LinkTracker.Core.Webhooks;

/// <summary>Segments' schedules and webhooks.</summary>
public interface ISegmentDeliveryStore
{
    Task<SegmentDelivery?> GetAsync(string tenant, string segmentId, CancellationToken cancellationToken);

    /// <summary>Replaces the segment's schedule and webhook.</summary>
    Task SaveAsync(string tenant, SegmentDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The deliveries of existing segments that have a schedule.</summary>
    Task<IReadOnlyList<SegmentDelivery>> ListScheduledAsync(string tenant, CancellationToken cancellationToken);
}
