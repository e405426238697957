using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// A new link. Without a code, one is generated; utm parameters are added to the url's query; after
/// <paramref name="MaxVisits"/> redirects the link is gone (410, or the tenant's goneUrl).
/// </summary>
public sealed record CreateLinkRequest(
    string? Url,
    string? Code = null,
    IReadOnlyList<string>? Tags = null,
    string? Campaign = null,
    DateTimeOffset? ExpiresAt = null,
    bool Disabled = false,
    LinkUtm? Utm = null,
    long? MaxVisits = null,
    IReadOnlyList<RedirectRule?>? Rules = null);
