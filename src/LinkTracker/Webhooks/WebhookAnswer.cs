namespace LinkTracker.Webhooks;

/// <summary>What a webhook answered one POST: <paramref name="Target"/> is its URL without the query.</summary>
public sealed record WebhookAnswer(string Target, int StatusCode, string? ReasonPhrase)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}
