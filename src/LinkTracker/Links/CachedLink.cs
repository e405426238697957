using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>What the redirect needs of a link, and nothing else: <paramref name="Status"/> is 302 unless the link was learned from a legacy system.</summary>
public sealed record CachedLink(string Destination, DateTimeOffset? ExpiresAt, bool Disabled, int Status = SharedLink.DefaultStatus);
