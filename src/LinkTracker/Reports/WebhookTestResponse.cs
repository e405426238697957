namespace LinkTracker.Reports;

/// <summary>A test delivery the webhook accepted: its URL without the query, the 2xx it answered, and the X-LinkTracker-Delivery sent.</summary>
public sealed record WebhookTestResponse(string Target, int StatusCode, string DeliveryId);
