namespace LinkTracker.Webhooks;

/// <summary>
/// One page of a run's new recipients (those the previous completed run, <paramref name="PreviousRunId"/>, did not have),
/// carried in the job itself: the previous run's recipients are dropped once this run completes.
/// </summary>
public sealed record SegmentWebhookPayload(
    string SegmentId, string RunId, string? PreviousRunId, DateTimeOffset AsOf, int Page, bool LastPage, IReadOnlyList<string> Recipients);
