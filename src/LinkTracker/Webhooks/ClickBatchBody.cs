namespace LinkTracker.Webhooks;

/// <summary>The body of one click webhook delivery: events in click id order.</summary>
public sealed record ClickBatchBody(string Event, string Tenant, IReadOnlyList<ClickEvent> Events);
