namespace LinkTracker.Webhooks;

/// <summary>The body of a segment webhook delivery: one page of the recipients new in a run.</summary>
public sealed record SegmentWebhookBody(
    string Event, string Tenant, string SegmentId, string RunId, string? PreviousRunId, DateTimeOffset AsOf, int Page, bool LastPage, IReadOnlyList<string> Recipients);
