namespace LinkTracker.Legacy;

/// <summary>
/// An api node's answer to an edge, and what the redirect path keeps in memory: the tenant's legacy base URL and its
/// not-found and gone addresses, each null when it has none.
/// </summary>
public sealed record LegacySourceResponse(string? BaseUrl, string? NotFoundUrl = null, string? GoneUrl = null)
{
    public static LegacySourceResponse None { get; } = new(BaseUrl: null);
}
