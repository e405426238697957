using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// What the redirect needs of a link, and nothing else: <paramref name="Status"/> is 302 unless the link was learned from a
/// legacy system; <paramref name="MaxVisits"/> is null unless the link has a visit limit, counted per <paramref name="Version"/>.
/// </summary>
public sealed record CachedLink(
    string Destination, DateTimeOffset? ExpiresAt, bool Disabled, int Status = SharedLink.DefaultStatus, long? MaxVisits = null, long Version = 0,
    IReadOnlyList<RedirectRule>? Rules = null);
