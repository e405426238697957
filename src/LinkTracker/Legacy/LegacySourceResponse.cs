namespace LinkTracker.Legacy;

/// <summary>An api node's answer to an edge: the tenant's legacy base URL, null when it has none.</summary>
public sealed record LegacySourceResponse(string? BaseUrl);
