namespace LinkTracker.Core.Segments;

/// <summary>
/// One evaluation of a segment. <paramref name="Filter"/> is the segment's filter when the run was asked for;
/// <paramref name="AsOf"/> the instant its clicks were read at; <paramref name="RowsRead"/> the engine's estimate of the
/// click rows read; <paramref name="LeaseUntil"/> when a running run whose worker vanished may be taken over.
/// </summary>
public sealed record SegmentRun(
    string Id,
    string SegmentId,
    string Filter,
    string State,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? AsOf = null,
    long? Recipients = null,
    long? RowsRead = null,
    long? DurationMs = null,
    string? Error = null);
