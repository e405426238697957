using LinkTracker.Core.Segments;

namespace LinkTracker.Segments;

/// <summary>A run's state to poll; once completed, its recipients are served at <paramref name="RecipientsUrl"/>.</summary>
public sealed record SegmentRunResponse(
    string Id,
    string SegmentId,
    string State,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? AsOf,
    long? Recipients,
    long? RowsRead,
    long? DurationMs,
    string? Error,
    string StatusUrl,
    string RecipientsUrl)
{
    public static SegmentRunResponse From(SegmentRun run) => new(
        run.Id, run.SegmentId, run.State, run.RequestedAt, run.StartedAt, run.FinishedAt, run.AsOf, run.Recipients, run.RowsRead,
        run.DurationMs, run.Error, $"/api/segments/{run.SegmentId}/runs/{run.Id}", $"/api/segments/{run.SegmentId}/recipients");
}
