namespace LinkTracker.Segments;

/// <summary>A page of the recipients of the segment's last completed run, read at <paramref name="AsOf"/>.</summary>
public sealed record SegmentRecipientsResponse(string SegmentId, string RunId, DateTimeOffset AsOf, long Total, IReadOnlyList<string> Recipients, string? Next);
